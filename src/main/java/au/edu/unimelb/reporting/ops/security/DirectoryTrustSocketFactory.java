package au.edu.unimelb.reporting.ops.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS sockets to the directory, trusting what {@code ops.identity.ldap.trust-store}
 * holds and nothing else. JNDI creates LDAP sockets through a class named in the
 * {@code java.naming.ldap.factory.socket} context property and its static
 * {@link #getDefault()}, so the trust applies to the directory's connections only, not to
 * the JVM's other TLS connections (the Camunda plugin's own
 * {@code acceptUntrustedCertificates} would trust anybody, JVM-wide, and is never used).
 * JNDI checks the directory's host name against its certificate on these sockets.
 */
public final class DirectoryTrustSocketFactory extends SSLSocketFactory {

	private static volatile SSLSocketFactory trusted;

	private final SSLSocketFactory delegate;

	private DirectoryTrustSocketFactory(SSLSocketFactory delegate) {
		this.delegate = delegate;
	}

	static void trust(SSLSocketFactory factory) {
		trusted = factory;
	}

	/** Called by JNDI for each connection. */
	public static SocketFactory getDefault() {
		SSLSocketFactory factory = trusted;
		if (factory == null) {
			throw new IllegalStateException("No directory trust store is loaded");
		}
		return new DirectoryTrustSocketFactory(factory);
	}

	@Override
	public Socket createSocket() throws IOException {
		return this.delegate.createSocket();
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		return this.delegate.createSocket(host, port);
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
		return this.delegate.createSocket(host, port, localHost, localPort);
	}

	@Override
	public Socket createSocket(InetAddress host, int port) throws IOException {
		return this.delegate.createSocket(host, port);
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
			throws IOException {
		return this.delegate.createSocket(address, port, localAddress, localPort);
	}

	@Override
	public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
		return this.delegate.createSocket(socket, host, port, autoClose);
	}

	@Override
	public String[] getDefaultCipherSuites() {
		return this.delegate.getDefaultCipherSuites();
	}

	@Override
	public String[] getSupportedCipherSuites() {
		return this.delegate.getSupportedCipherSuites();
	}

}
