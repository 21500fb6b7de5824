package io.milvus.upgrade.server;

import java.time.Duration;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.WindowRateControl;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;

/**
 * The HTTPS connector and the limits that keep hostile clients from wedging it: connections,
 * time to a first request, request data rate, HTTP/2 streams and frame rates. WINDOW_UPDATE
 * frames other than zero ones are not rate-limited: Jetty has no hook for it short of its parser.
 */
final class ServerLimits {

    /** Keep-alive connections the apiserver leaves unused are closed after this. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** A TLS handshake and a first request's headers take milliseconds; a client that trickles them is cut off. */
    static final Duration FIRST_REQUEST_WITHIN = Duration.ofSeconds(3);
    /** Far below what any real client sends at; it ends a body trickled a byte at a time at its first byte. */
    static final long MIN_REQUEST_BYTES_PER_SECOND = 16 * 1024;
    /** The apiserver multiplexes its reviews; more than this at once on one connection is not a real client. */
    static final int MAX_CONCURRENT_STREAMS = 64;
    /**
     * Suspicious HTTP/2 frames per second and connection (resets, empty DATA, PINGs, SETTINGS,
     * zero WINDOW_UPDATEs) before the connection is closed with ENHANCE_YOUR_CALM.
     */
    static final int MAX_SUSPICIOUS_FRAMES_PER_SECOND = 128;

    private ServerLimits() {
    }

    static ServerConnector httpsConnector(Server server, HttpConfiguration base, TlsContext tls, WebhookServer.Settings settings) {
        HttpConfiguration https = new HttpConfiguration(base);
        https.setSendServerVersion(false);
        https.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        https.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
        // The apiserver connects by IP or service name; SNI host checks would only refuse it.
        https.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory http1 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(https);
        http2.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
        http2.setRateControlFactory(new WindowRateControl.Factory(MAX_SUSPICIOUS_FRAMES_PER_SECOND));
        // Longer than any review may take; a stream with no frames for this long is given up.
        http2.setStreamIdleTimeout(2 * settings.answerWithin().toMillis());
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http1.getProtocol());
        SslConnectionFactory ssl = new SslConnectionFactory(tls.factory(), alpn.getProtocol());
        ServerConnector connector = new ServerConnector(server, ssl, alpn, http2, http1);
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.addBean(new ConnectionGuard(connector, settings.maxConnections(), FIRST_REQUEST_WITHIN));
        // A hard stop well above the guard's cap, for connections opened faster than it can close them.
        server.addBean(new NetworkConnectionLimit(4 * settings.maxConnections(), connector));
        return connector;
    }
}
