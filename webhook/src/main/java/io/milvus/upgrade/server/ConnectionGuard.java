package io.milvus.upgrade.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Keeps idle and slow clients from holding the server's connections. Measured before: 5,370 idle
 * TLS connections from one client filled a 64 MiB heap, and connections that sent a header byte
 * every 10 s outlived the idle timeout for good.
 *
 * <ul>
 *   <li>At most {@code max} connections: a new one beyond that closes those that have not
 *       completed a request yet, then those that have, oldest first, so that an apiserver
 *       connecting while someone holds every connection still gets in at once (a cap that
 *       merely stopped accepting would leave it waiting in the backlog).</li>
 *   <li>A connection must complete its TLS handshake and its first request's headers within
 *       {@code firstRequest}, however slowly it trickles bytes; after that the idle timeout applies.</li>
 * </ul>
 */
final class ConnectionGuard extends AbstractLifeCycle implements Connection.Listener {

    private final ServerConnector connector;
    private final int max;
    private final Duration firstRequest;
    private Scheduler.Task sweep;

    ConnectionGuard(ServerConnector connector, int max, Duration firstRequest) {
        this.connector = connector;
        this.max = max;
        this.firstRequest = firstRequest;
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        if (sweep != null) sweep.cancel();
    }

    private void schedule() {
        long period = Math.max(100, firstRequest.toMillis() / 5);
        sweep = connector.getScheduler().schedule(() -> {
            closeSlowStarters();
            if (isRunning()) schedule();
        }, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        if (!(connection instanceof SslConnection)) return; // the network connection only, not what runs inside TLS
        int excess = connector.getConnectedEndPoints().size() - max;
        if (excess <= 0) return;
        List<EndPoint> others = new ArrayList<>(connector.getConnectedEndPoints());
        others.remove(connection.getEndPoint());
        others.sort(Comparator.comparing((EndPoint e) -> servedRequests(e) > 0)
                .thenComparing(EndPoint::getCreatedTimeStamp));
        others.stream().limit(excess).forEach(EndPoint::close);
    }

    @Override
    public void onClosed(Connection connection) {
    }

    private void closeSlowStarters() {
        long cutoff = System.currentTimeMillis() - firstRequest.toMillis();
        for (EndPoint endPoint : List.copyOf(connector.getConnectedEndPoints())) {
            if (endPoint.getCreatedTimeStamp() < cutoff && servedRequests(endPoint) <= 0) {
                endPoint.close();
            }
        }
    }

    /** Requests (HTTP/1.1) or streams (HTTP/2) the connection inside TLS has seen; not positive before one. */
    private static long servedRequests(EndPoint endPoint) {
        Connection connection = endPoint.getConnection();
        while (connection instanceof SslConnection ssl) {
            connection = ssl.getSslEndPoint().getConnection();
        }
        return connection == null ? 0 : connection.getMessagesIn();
    }
}
