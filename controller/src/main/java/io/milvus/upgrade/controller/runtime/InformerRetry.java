package io.milvus.upgrade.controller.runtime;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * When an informer tries again. fabric8's default retries only once the informer has synced:
 * a first LIST that times out stops it, and the controller's start fails with it; make
 * bench-scale saw a controller exit so on a loaded machine. Here a first LIST is retried too,
 * with fabric8's back-off, when the failure is one a busy apiserver gives (a timeout, a lost
 * connection, 429, 5xx); a 403 or a missing resource still stops it, and the start says why.
 * The start's own deadline bounds the retries.
 */
final class InformerRetry implements ExceptionHandler {

    @Override
    public boolean retryAfterException(boolean started, Throwable failure) {
        return started || transientFailure(failure);
    }

    static boolean transientFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof KubernetesClientException k && k.getCode() > 0) {
                return k.getCode() == 408 || k.getCode() == 429 || k.getCode() >= 500;
            }
            if (cause instanceof IOException || cause instanceof TimeoutException) return true;
        }
        return false;
    }
}
