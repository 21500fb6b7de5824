package io.milvus.upgrade.server;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.milvus.upgrade.admission.LogValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's log lines, one per decision or refusal, as {@code key=value} pairs; every value
 * that comes from a request is escaped and cut ({@link LogValue}), so no client writes a line of its own.
 */
final class ReviewLog {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    private ReviewLog() {
    }

    static void admission(String path, AdmissionRequest request, AdmissionResponse response, long startNanos) {
        LOG.info("event=admission path={} uid=\"{}\" kind={} namespace=\"{}\" name=\"{}\" operation={} user=\"{}\" allowed={} code={} warnings={} latency_ms={}",
                path, LogValue.of(request.getUid()), LogValue.of(request.getKind() == null ? "" : request.getKind().getKind()),
                LogValue.of(request.getNamespace()), LogValue.of(request.getName()), LogValue.of(request.getOperation()),
                LogValue.of(request.getUserInfo() == null ? "" : request.getUserInfo().getUsername()),
                Boolean.TRUE.equals(response.getAllowed()), response.getStatus() == null ? 200 : response.getStatus().getCode(),
                response.getWarnings() == null ? 0 : response.getWarnings().size(), millisSince(startNanos));
    }

    static void conversion(ConversionEndpoint.Result outcome, long startNanos) {
        LOG.info("event=conversion uid=\"{}\" objects={} desired=\"{}\" succeeded={} message=\"{}\" latency_ms={}", LogValue.of(outcome.uid()),
                outcome.objects(), LogValue.of(outcome.desiredApiVersion()), outcome.succeeded(), LogValue.of(outcome.message()), millisSince(startNanos));
    }

    static void clientGone(String path, Exception e) {
        LOG.info("event=client_gone path={} error=\"{}\"", path, LogValue.of(e.getMessage()));
    }

    static void busy(String path, String reason) {
        LOG.warn("event=busy path={} reason=\"{}\"", path, reason);
    }

    static void badRequest(String path, int status, String reason) {
        LOG.info("event=bad_request path={} status={} reason=\"{}\"", path, status, reason);
    }

    static void badRequest(String path, String reason) {
        LOG.info("event=bad_request path={} reason=\"{}\"", path, reason);
    }

    static void unexpectedError(String path, Exception e) {
        LOG.error("event=unexpected_error path={} error=\"{}\"", LogValue.of(path), LogValue.of(e.toString()), e);
    }

    static void stopping(long delayMillis, long graceMillis) {
        LOG.info("event=stopping delay_ms={} grace_ms={}", delayMillis, graceMillis);
    }

    static void stopped() {
        LOG.info("event=stopped");
    }

    private static String millisSince(long startNanos) {
        return String.format("%.3f", (System.nanoTime() - startNanos) / 1e6);
    }
}
