package au.edu.unimelb.reporting.ops.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP {@code slapd} on 127.0.0.1, with its own config (slapd.conf, mdb
 * backend) and directory in a temporary folder, seeded with {@code slapadd}: never the
 * machine's own slapd. Passwords are stored salted-hashed ({@code {SSHA}}, computed here,
 * so no password is on any command line). {@link #stop()} and {@link #start()} take the
 * directory away and bring it back on the same port.
 *
 * <p>
 * The directory {@code dc=example,dc=org}: people under {@code ou=people}, groups
 * ({@code groupOfNames}) under {@code ou=groups}, and the service's bind account
 * {@code cn=reporting-ops,ou=services}.
 */
public final class LoopbackLdap implements AutoCloseable {

	public static final String BASE_DN = "dc=example,dc=org";

	public static final String BIND_DN = "cn=reporting-ops,ou=services," + BASE_DN;

	private final Path dir;

	private final int port;

	private final boolean tls;

	private Process process;

	private LoopbackLdap(Path dir, int port, boolean tls) {
		this.dir = dir;
		this.port = port;
		this.tls = tls;
	}

	/**
	 * The server's TLS identity, for {@code ldaps://}: PEM files (the key unencrypted).
	 */
	public record Tls(Path certificate, Path key) {
	}

	/** Someone in the directory. */
	public record Person(String uid, String givenName, String surname, String password) {
	}

	/**
	 * Seeds and starts a directory.
	 * @param dir a fresh folder for the config, the database and the log
	 * @param bindPassword the bind account's password
	 * @param people the people, under {@code ou=people}
	 * @param groups group id ({@code cn}) → the uids of its members
	 */
	public static LoopbackLdap start(Path dir, String bindPassword, List<Person> people,
			Map<String, List<String>> groups) throws Exception {
		return start(dir, bindPassword, people, groups, null);
	}

	/**
	 * Seeds and starts a directory that speaks {@code ldaps://} (TLS from the first byte)
	 * when {@code tls} is given.
	 */
	public static LoopbackLdap start(Path dir, String bindPassword, List<Person> people,
			Map<String, List<String>> groups, Tls tls) throws Exception {
		Files.createDirectories(dir.resolve("db"));
		Path config = dir.resolve("slapd.conf");
		String tlsConfig = (tls != null)
				? "TLSCertificateFile " + tls.certificate() + "\nTLSCertificateKeyFile " + tls.key() + "\n" : "";
		Files.writeString(config, """
				include /etc/ldap/schema/core.schema
				include /etc/ldap/schema/cosine.schema
				include /etc/ldap/schema/inetorgperson.schema
				pidfile %1$s/slapd.pid
				argsfile %1$s/slapd.args
				modulepath /usr/lib/ldap
				moduleload back_mdb
				%3$sdatabase mdb
				maxsize 104857600
				suffix "%2$s"
				directory %1$s/db
				access to attrs=userPassword by anonymous auth by * none
				access to * by users read by * none
				""".formatted(dir, BASE_DN, tlsConfig));
		StringBuilder ldif = new StringBuilder();
		entry(ldif, BASE_DN, Map.of("objectClass", List.of("top", "dcObject", "organization"), "dc", List.of("example"),
				"o", List.of("Example University")));
		for (String ou : List.of("people", "groups", "services")) {
			entry(ldif, "ou=" + ou + "," + BASE_DN,
					Map.of("objectClass", List.of("organizationalUnit"), "ou", List.of(ou)));
		}
		entry(ldif, BIND_DN, Map.of("objectClass", List.of("organizationalRole", "simpleSecurityObject"), "cn",
				List.of("reporting-ops"), "userPassword", List.of(ssha(bindPassword))));
		for (Person person : people) {
			Map<String, List<String>> attributes = new LinkedHashMap<>();
			attributes.put("objectClass", List.of("inetOrgPerson"));
			attributes.put("uid", List.of(person.uid()));
			attributes.put("cn", List.of(person.givenName() + " " + person.surname()));
			attributes.put("givenName", List.of(person.givenName()));
			attributes.put("sn", List.of(person.surname()));
			attributes.put("mail", List.of(person.uid() + "@example.org"));
			attributes.put("userPassword", List.of(ssha(person.password())));
			entry(ldif, userDn(person.uid()), attributes);
		}
		groups.forEach((cn, members) -> entry(ldif, "cn=" + cn + ",ou=groups," + BASE_DN,
				Map.of("objectClass", List.of("groupOfNames"), "cn", List.of(cn), "member",
						members.stream().map(LoopbackLdap::userDn).toList())));
		Path seed = dir.resolve("seed.ldif");
		Files.writeString(seed, ldif);
		run(List.of("/usr/sbin/slapadd", "-f", config.toString(), "-l", seed.toString()), dir.resolve("slapadd.log"));
		LoopbackLdap ldap = new LoopbackLdap(dir, LoopbackSshd.freePort(), tls != null);
		ldap.start();
		return ldap;
	}

	public static String userDn(String uid) {
		return "uid=" + uid + ",ou=people," + BASE_DN;
	}

	public String url() {
		return (this.tls ? "ldaps" : "ldap") + "://127.0.0.1:" + this.port;
	}

	public int port() {
		return this.port;
	}

	/** Starts slapd (again) on its port, in the foreground, logging to a file. */
	public synchronized void start() throws Exception {
		this.process = new ProcessBuilder("/usr/sbin/slapd", "-f", this.dir.resolve("slapd.conf").toString(), "-h",
				url() + "/", "-d", "256")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dir.resolve("slapd.log").toFile()))
			.start();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
		while (!listening()) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("slapd exited with " + this.process.exitValue() + ": " + log());
			}
			if (Instant.now().isAfter(deadline)) {
				throw new IllegalStateException("slapd does not listen on " + url() + ": " + log());
			}
			Thread.sleep(50);
		}
	}

	/** Stops slapd: the directory is unreachable until {@link #start()}. */
	public synchronized void stop() throws Exception {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
	}

	public String log() throws IOException {
		Path log = this.dir.resolve("slapd.log");
		return Files.exists(log) ? Files.readString(log) : "";
	}

	@Override
	public void close() throws Exception {
		stop();
	}

	private boolean listening() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void entry(StringBuilder ldif, String dn, Map<String, List<String>> attributes) {
		ldif.append("dn: ").append(dn).append('\n');
		attributes.forEach(
				(name, values) -> values.forEach((value) -> ldif.append(name).append(": ").append(value).append('\n')));
		ldif.append('\n');
	}

	/** OpenLDAP's salted SHA-1: base64(sha1(password + salt) + salt). */
	private static String ssha(String password) throws Exception {
		byte[] salt = new byte[8];
		new SecureRandom().nextBytes(salt);
		MessageDigest sha = MessageDigest.getInstance("SHA-1");
		sha.update(password.getBytes(StandardCharsets.UTF_8));
		sha.update(salt);
		byte[] digest = sha.digest();
		byte[] both = new byte[digest.length + salt.length];
		System.arraycopy(digest, 0, both, 0, digest.length);
		System.arraycopy(salt, 0, both, digest.length, salt.length);
		return "{SSHA}" + Base64.getEncoder().encodeToString(both);
	}

	private static void run(List<String> argv, Path log) throws Exception {
		Process process = new ProcessBuilder(new ArrayList<>(argv)).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(argv + " did not finish in 60 s");
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException(argv + " failed: " + Files.readString(log));
		}
	}

}
