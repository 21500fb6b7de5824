package io.milvus.upgrade.stress;

import io.milvus.upgrade.localstack.HttpsClient;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.WindowUpdateFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTP/2 frames no well-behaved client sends, through Jetty's own HTTP/2 client (no hand-written
 * framing): streams reset mid-body (the "rapid reset" attack, CVE-2023-44487) and floods of
 * WINDOW_UPDATE frames.
 */
public final class RawHttp2 implements AutoCloseable {

    private final HTTP2Client client = new HTTP2Client();
    private final SslContextFactory.Client tls = new SslContextFactory.Client();
    private final InetSocketAddress server;

    public RawHttp2(Path caCertificate, int port) throws Exception {
        tls.setSslContext(HttpsClient.trusting(caCertificate));
        client.addBean(tls);
        client.setConnectTimeout(5_000);
        client.start();
        this.server = new InetSocketAddress("127.0.0.1", port);
    }

    public Session connect() throws Exception {
        // Generous: a handshake with a cold client on a loaded machine took over 5 s.
        return client.connect(tls, server, new Session.Listener() {
        }).get(20, TimeUnit.SECONDS);
    }

    /**
     * Opens a POST stream on {@code path} that declares {@code declaredLength} bytes, sends
     * {@code sentBytes} of them and resets it. Returns once the reset is written.
     */
    public static void resetMidBody(Session session, String path, int declaredLength, int sentBytes) throws Exception {
        Stream stream = session.newStream(new HeadersFrame(post(path, declaredLength), null, false), new Stream.Listener() {
        }).get(5, TimeUnit.SECONDS);
        byte[] piece = new byte[sentBytes];
        java.util.Arrays.fill(piece, (byte) '[');
        stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(piece), false)).get(5, TimeUnit.SECONDS);
        stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code)).get(5, TimeUnit.SECONDS);
    }

    /** A stream whose body stopped halfway, and its response's status once the server answers. */
    public record Stalled(Stream stream, CompletableFuture<Integer> status) {
        public void reset() throws Exception {
            stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code)).get(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Opens a POST stream that declares {@code declaredLength} bytes and sends only
     * {@code sentBytes} (at most 65,535: the initial window).
     */
    public static Stalled stalled(Session session, String path, int declaredLength, int sentBytes) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        Stream stream = session.newStream(new HeadersFrame(post(path, declaredLength), null, false), new Stream.Listener() {
            @Override
            public void onHeaders(Stream stream, HeadersFrame frame) {
                if (frame.getMetaData() instanceof MetaData.Response response) status.complete(response.getStatus());
            }

            @Override
            public void onReset(Stream stream, ResetFrame frame, Callback callback) {
                status.completeExceptionally(new java.io.IOException("stream reset by the server"));
                callback.succeeded();
            }
        }).get(5, TimeUnit.SECONDS);
        stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(new byte[sentBytes]), false)).get(5, TimeUnit.SECONDS);
        return new Stalled(stream, status);
    }

    private static MetaData.Request post(String path, int declaredLength) {
        HttpFields.Mutable headers = HttpFields.build()
                .put(HttpHeader.CONTENT_TYPE, "application/json")
                .put(HttpHeader.CONTENT_LENGTH, String.valueOf(declaredLength));
        return new MetaData.Request("POST", HttpURI.from("https://127.0.0.1" + path), HttpVersion.HTTP_2, headers, declaredLength);
    }

    /** Sends {@code count} WINDOW_UPDATE frames of one byte for the connection, in one write. */
    public static void windowUpdates(Session session, int count) throws Exception {
        List<Frame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) frames.add(new WindowUpdateFrame(0, 1));
        Callback.Completable written = new Callback.Completable();
        ((HTTP2Session) session).frames(null, frames, written);
        written.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        client.stop();
    }
}
