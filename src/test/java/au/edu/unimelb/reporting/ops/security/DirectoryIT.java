package au.edu.unimelb.reporting.ops.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import au.edu.unimelb.reporting.ops.config.Secret;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import au.edu.unimelb.reporting.ops.security.IdentitySettings.Ldap;
import au.edu.unimelb.reporting.ops.support.LoopbackLdap;
import au.edu.unimelb.reporting.ops.support.LoopbackLdap.Person;
import au.edu.unimelb.reporting.ops.support.LoopbackLdap.Tls;
import au.edu.unimelb.reporting.ops.support.ThreadDumpOnTimeout;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service's own directory code ({@link DirectoryPlugin} on an in-memory engine,
 * {@link DirectoryTrustSocketFactory}) against real OpenLDAP servers on loopback
 * ({@link LoopbackLdap}), one plain and one {@code ldaps://} with a certificate from a
 * throw-away CA made here with openssl: a login is accepted only under the directory's
 * own id (no other case, no spaces, no filter tricks); {@code ldaps://} works with a
 * trust store that holds the directory's CA and is refused with one that does not, or for
 * a host name the certificate does not name; a directory that accepts connections and
 * never answers fails a login within the configured timeouts, as "unreachable".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@ExtendWith(ThreadDumpOnTimeout.class)
class DirectoryIT {

	/** Logged at DEBUG here: the plugin's, the engine's and JNDI's own lines. */
	static final List<String> DEBUG_LOGGERS = List.of("org.camunda", "javax.naming", "com.sun.jndi",
			"au.edu.unimelb.reporting.ops");

	static final String BIND_PASSWORD = "directory-it-bind-3a9c";

	static final String TESS_PASSWORD = "directory-it-tess-81f0";

	static final String TOM_PASSWORD = "directory-it-tom-5d2e";

	static final char[] STORE_PASSWORD = "directory-it-store".toCharArray();

	static final List<Person> PEOPLE = List.of(new Person("tess", "Tess", "Requester", TESS_PASSWORD),
			new Person("tom", "Tom", "Tester", TOM_PASSWORD));

	static final Map<String, List<String>> GROUPS = Map.of("reporting-uat", List.of("tess", "tom"));

	Path dir;

	LoopbackLdap plain;

	LoopbackLdap secure;

	/** A trust store with the CA that signed the secure directory's certificate. */
	Path trusted;

	/** A trust store with another CA only. */
	Path stranger;

	final List<AutoCloseable> closing = new ArrayList<>();

	final Map<String, Level> levels = new java.util.HashMap<>();

	/** Every log line of this class's run, with its stack trace. */
	final List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();

	final AppenderBase<ILoggingEvent> recorder = new AppenderBase<>() {

		@Override
		protected void append(ILoggingEvent event) {
			DirectoryIT.this.logged.add(event.getLevel() + " " + event.getLoggerName() + " "
					+ event.getFormattedMessage() + " " + ((event.getThrowableProxy() != null)
							? ThrowableProxyUtil.asString(event.getThrowableProxy()) : ""));
		}

	};

	@BeforeAll
	void start(@TempDir Path dir) throws Exception {
		this.recorder.start();
		((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(this.recorder);
		for (String name : DEBUG_LOGGERS) {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			this.levels.put(name, logger.getLevel());
			logger.setLevel(Level.DEBUG);
		}
		this.dir = dir;
		Path pki = Files.createDirectories(dir.resolve("pki"));
		ca(pki, "ca");
		ca(pki, "other-ca");
		openssl(pki, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
				"/CN=127.0.0.1");
		Files.writeString(pki.resolve("server.ext"),
				"subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n");
		openssl(pki, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
				"-days", "2", "-out", "server.pem", "-extfile", "server.ext");
		this.trusted = trustStore(pki.resolve("ca.pem"), dir.resolve("trusted.p12"));
		this.stranger = trustStore(pki.resolve("other-ca.pem"), dir.resolve("stranger.p12"));
		this.plain = LoopbackLdap.start(dir.resolve("plain"), BIND_PASSWORD, PEOPLE, GROUPS);
		this.closing.add(this.plain);
		this.secure = LoopbackLdap.start(dir.resolve("secure"), BIND_PASSWORD, PEOPLE, GROUPS,
				new Tls(pki.resolve("server.pem"), pki.resolve("server.key")));
		this.closing.add(this.secure);
	}

	@AfterAll
	void stop() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
		this.levels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
		((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(this.recorder);
	}

	@Test
	void aLoginCountsOnlyUnderTheDirectorysOwnId() {
		ProcessEngine engine = engine(ldap(this.plain.url(), null));
		IdentityService identity = engine.getIdentityService();
		assertThat(identity.checkPassword("tess", TESS_PASSWORD)).as("tess, as the directory has her").isTrue();
		assertThat(identity.createGroupQuery().groupMember("tess").list()).extracting(Group::getId)
			.containsExactly("reporting-uat");
		List<String> accepted = new ArrayList<>();
		for (String other : List.of("TESS", "Tess", " tess", "tess ", "  tess  ", "\ttess", "ｔｅｓｓ", "ＴＥＳＳ",
				"uid=tess,ou=people,dc=example,dc=org", "uid=tess")) {
			if (identity.checkPassword(other, TESS_PASSWORD)) {
				accepted.add("'" + other + "'");
			}
		}
		assertThat(accepted).as("names that find tess in the directory but are not her id").isEmpty();
		for (String injection : List.of("*", "t*", "tes*", ")(uid=*", "*)(uid=*))(|(uid=*", "tess)(|(uid=*", "\\2a",
				"\\74ess", "tess\u0000")) {
			for (String password : List.of(TESS_PASSWORD, TOM_PASSWORD, "*")) {
				if (identity.checkPassword(injection, password)) {
					accepted.add("'" + injection + "' with " + password);
				}
			}
		}
		assertThat(accepted).as("login names with filter syntax").isEmpty();
		assertThat(identity.createGroupQuery().groupId("reporting-uat").count()).isOne();
		assertThat(identity.createUserQuery().memberOfGroup("reporting-uat").list()).extracting(User::getId)
			.containsExactlyInAnyOrder("tess", "tom");
		for (String group : List.of("*", "reporting-*", "x)(cn=*", "reporting-uat)(|(cn=*", "\\2a")) {
			assertThat(identity.createGroupQuery().groupId(group).list()).as("group id %s", group).isEmpty();
			assertThat(identity.createGroupQuery().groupIdIn("nobody", group).list()).as("group ids %s", group)
				.isEmpty();
			assertThat(identity.createGroupQuery().groupName(group).list()).as("group name %s", group).isEmpty();
			assertThat(identity.createUserQuery().memberOfGroup(group).list()).as("members of %s", group).isEmpty();
			assertThat(identity.createUserQuery().userEmail(group).list()).as("e-mail %s", group).isEmpty();
		}
		assertThat(identity.createUserQuery().userFirstNameLike("T%").count()).as("a wildcard where one is meant")
			.isEqualTo(2);
		assertThat(identity.createUserQuery().userFirstNameLike("T%)(uid=*").count()).isZero();
		assertThat(identity.checkPassword("tess", "")).as("an empty password is an anonymous bind").isFalse();
		assertThat(identity.checkPassword("tess", TOM_PASSWORD)).as("another's password").isFalse();
		assertThat(identity.checkPassword("tom", TOM_PASSWORD)).isTrue();
	}

	@Test
	void ldapsWorksWithTheDirectorysCaInTheTrustStore() {
		ProcessEngine engine = engine(ldap(this.secure.url(), this.trusted));
		assertThat(engine.getIdentityService().checkPassword("tom", TOM_PASSWORD)).isTrue();
		assertThat(engine.getIdentityService().checkPassword("tom", TESS_PASSWORD)).isFalse();
	}

	@Test
	void ldapsRefusesACertificateThatTheTrustStoreDoesNotVouchFor() {
		ProcessEngine engine = engine(ldap(this.secure.url(), this.stranger));
		assertThatThrownBy(() -> engine.getIdentityService().checkPassword("tom", TOM_PASSWORD))
			.isInstanceOf(DirectoryUnavailableException.class)
			.hasMessageContaining("is unreachable");
		// and the JVM's own trust (no trust store) does not know the test CA either
		ProcessEngine jvmDefault = engine(ldap(this.secure.url(), null));
		assertThatThrownBy(() -> jvmDefault.getIdentityService().checkPassword("tom", TOM_PASSWORD))
			.isInstanceOf(DirectoryUnavailableException.class);
	}

	@Test
	void ldapsRefusesAHostNameThatTheCertificateDoesNotName() {
		// the certificate names 127.0.0.1 only; "localhost" reaches the same server
		ProcessEngine engine = engine(ldap("ldaps://localhost:" + this.secure.port(), this.trusted));
		assertThatThrownBy(() -> engine.getIdentityService().checkPassword("tom", TOM_PASSWORD))
			.isInstanceOf(DirectoryUnavailableException.class);
	}

	@Test
	void aDirectoryThatNeverAnswersFailsTheLoginWithinTheTimeouts() throws Exception {
		Silent silent = new Silent();
		this.closing.add(silent);
		int from = this.logged.size();
		for (String url : List.of("ldap://127.0.0.1:" + silent.port(), "ldaps://127.0.0.1:" + silent.port())) {
			ProcessEngine engine = engine(ldap(url, url.startsWith("ldaps") ? this.trusted : null));
			long start = System.nanoTime();
			assertThatThrownBy(() -> engine.getIdentityService().checkPassword("tom", TOM_PASSWORD)).as(url)
				.isInstanceOf(DirectoryUnavailableException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start))
				.as("%s: a connect timeout of 1 s and a read timeout of 1 s", url)
				.isLessThan(Duration.ofSeconds(5));
		}
		assertThat(silent.accepted()).as("the silent directory was reached").isGreaterThanOrEqualTo(2);
		List<String> lines = this.logged.subList(from, this.logged.size());
		assertThat(lines).as("one WARN line per refused login, no ERROR with a stack trace")
			.filteredOn((line) -> line.contains("is unreachable") && line.startsWith("WARN"))
			.hasSizeGreaterThanOrEqualTo(2);
		assertThat(lines).filteredOn((line) -> line.startsWith("ERROR")).isEmpty();
	}

	@Test
	void aRefusedBindAccountSaysSoAndShowsNoPassword() {
		String wrong = "directory-it-old-bind-77b1";
		Ldap settings = ldap(this.plain.url(), null);
		ProcessEngine engine = engine(new Ldap(settings.url(), settings.baseDn(), settings.userSearchBase(),
				settings.userSearchFilter(), settings.groupSearchBase(), settings.groupSearchFilter(),
				settings.userIdAttribute(), settings.userFirstNameAttribute(), settings.userLastNameAttribute(),
				settings.userEmailAttribute(), settings.groupIdAttribute(), settings.groupNameAttribute(),
				settings.groupMemberAttribute(), settings.bindDn(), Secret.of(wrong), null, null,
				settings.testersGroup(), settings.operatorsGroup(), settings.connectTimeout(), settings.readTimeout()));
		assertThatThrownBy(() -> engine.getIdentityService().checkPassword("tom", TOM_PASSWORD))
			.isInstanceOf(DirectoryUnavailableException.class)
			.hasMessageContaining("refused the service's own account (ops.identity.ldap.bind-dn)")
			.hasMessageNotContaining(wrong);
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void noPasswordIsInThePluginOrAnyLogLineEvenAtDebug() {
		DirectoryPlugin plugin = new DirectoryPlugin(ldap(this.plain.url(), this.trusted));
		assertThat(plugin.toString()).doesNotContain(BIND_PASSWORD);
		String log = String.join("\n", this.logged);
		assertThat(log).as("the plugin's DEBUG lines were written")
			.contains("DEBUG org.camunda.bpm.identity.impl.ldap");
		for (String secret : List.of(BIND_PASSWORD, TESS_PASSWORD, TOM_PASSWORD, "directory-it-old-bind-77b1",
				new String(STORE_PASSWORD))) {
			assertThat(log).as("the log").doesNotContain(secret);
		}
	}

	private Ldap ldap(String url, Path trustStore) {
		return new Ldap(url, LoopbackLdap.BASE_DN, "ou=people", "(objectClass=inetOrgPerson)", "ou=groups",
				"(objectClass=groupOfNames)", "uid", "givenName", "sn", "mail", "cn", "cn", "member",
				LoopbackLdap.BIND_DN, Secret.of(BIND_PASSWORD), trustStore,
				(trustStore != null) ? Secret.of(new String(STORE_PASSWORD)) : null, "reporting-uat", "reporting-ops",
				Duration.ofSeconds(1), Duration.ofSeconds(1));
	}

	private ProcessEngine engine(Ldap ldap) {
		String name = "directory-" + UUID.randomUUID();
		ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
			.createStandaloneInMemProcessEngineConfiguration()
			.setJdbcUrl("jdbc:h2:mem:" + name)
			.setProcessEngineName(name)
			.setJobExecutorActivate(false);
		configuration.getProcessEnginePlugins().add(new DirectoryPlugin(ldap));
		ProcessEngine engine = configuration.buildProcessEngine();
		this.closing.add(engine::close);
		return engine;
	}

	private static void ca(Path pki, String name) throws Exception {
		openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
				"-days", "2", "-subj", "/CN=Directory IT " + name, "-addext", "basicConstraints=critical,CA:TRUE",
				"-addext", "keyUsage=critical,keyCertSign,cRLSign");
	}

	private static Path trustStore(Path caPem, Path file) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		try (InputStream in = Files.newInputStream(caPem)) {
			store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
		}
		try (OutputStream out = Files.newOutputStream(file)) {
			store.store(out, STORE_PASSWORD);
		}
		return file;
	}

	private static void openssl(Path dir, String... args) throws Exception {
		List<String> argv = new ArrayList<>(List.of("openssl"));
		argv.addAll(List.of(args));
		Path log = dir.resolve("openssl.log");
		Process process = new ProcessBuilder(argv).directory(dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			process.destroyForcibly();
			throw new IllegalStateException(argv + " failed: " + Files.readString(log));
		}
	}

	/** Accepts connections on loopback and never says a word. */
	static final class Silent implements AutoCloseable {

		private final ServerSocket server;

		private final List<Socket> held = new ArrayList<>();

		private final Thread acceptor;

		Silent() throws IOException {
			this.server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
			this.acceptor = new Thread(() -> {
				while (!this.server.isClosed()) {
					try {
						Socket socket = this.server.accept();
						synchronized (this.held) {
							this.held.add(socket);
						}
					}
					catch (IOException ex) {
						return;
					}
				}
			}, "silent-directory");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		int accepted() {
			synchronized (this.held) {
				return this.held.size();
			}
		}

		@Override
		public void close() throws Exception {
			this.server.close();
			synchronized (this.held) {
				for (Socket socket : this.held) {
					socket.close();
				}
			}
			this.acceptor.join(5000);
		}

	}

}
