package io.milvus.upgrade.server;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the server is in rotation, and how it leaves: readiness goes false at once, the server
 * serves on for the shutdown delay (while endpoints and load balancers stop sending it reviews),
 * then stops taking new requests and lets those in flight finish, up to the grace period.
 */
final class Rotation {

    private final AtomicBoolean ready = new AtomicBoolean(false);

    void enter() {
        ready.set(true);
    }

    void readiness(Context ctx) {
        if (ready.get()) ctx.result("ok");
        else ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("shutting down");
    }

    /**
     * While leaving rotation, HTTP/1.1 clients are told to reconnect, which takes them to another
     * replica; HTTP/2 clients get a GOAWAY when the server stops.
     */
    void afterRequest(Context ctx) {
        if (!ready.get()) Refusals.closeConnectionAfter(ctx);
    }

    /** @param stop stops taking requests and waits for those in flight, up to {@code grace} */
    void leave(Duration delay, Duration grace, Runnable stop) {
        ready.set(false);
        ReviewLog.stopping(delay.toMillis(), grace.toMillis());
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop.run();
        ReviewLog.stopped();
    }
}
