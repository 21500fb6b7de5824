package io.milvus.upgrade.server;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.milvus.upgrade.log.LogEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's log lines, one per decision or refusal, with the request's identity and never its
 * object (no payloads at info). Values a request carries are escaped and cut by the log format
 * (text: {@code LogValue}; JSON: its encoder and {@code CutLongValues}), so no client writes a line of its own.
 */
final class ReviewLog {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    private ReviewLog() {
    }

    static void admission(String path, AdmissionRequest request, AdmissionResponse response, long startNanos) {
        LogEvent.info(LOG, "admission")
                .addKeyValue("path", path)
                .addKeyValue("uid", request.getUid())
                .addKeyValue("kind", request.getKind() == null ? "" : request.getKind().getKind())
                .addKeyValue("namespace", request.getNamespace())
                .addKeyValue("name", request.getName())
                .addKeyValue("operation", request.getOperation())
                .addKeyValue("user", request.getUserInfo() == null ? "" : request.getUserInfo().getUsername())
                .addKeyValue("allowed", Boolean.TRUE.equals(response.getAllowed()))
                .addKeyValue("code", response.getStatus() == null ? 200 : response.getStatus().getCode())
                .addKeyValue("warnings", response.getWarnings() == null ? 0 : response.getWarnings().size())
                .addKeyValue("latency_ms", millisSince(startNanos))
                .log();
    }

    static void conversion(ConversionEndpoint.Result outcome, long startNanos) {
        LogEvent.info(LOG, "conversion")
                .addKeyValue("uid", outcome.uid())
                .addKeyValue("objects", outcome.objects())
                .addKeyValue("desired", outcome.desiredApiVersion())
                .addKeyValue("succeeded", outcome.succeeded())
                .addKeyValue("reason", outcome.message())
                .addKeyValue("latency_ms", millisSince(startNanos))
                .log();
    }

    static void clientGone(String path, Exception e) {
        LogEvent.info(LOG, "client_gone").addKeyValue("path", path).addKeyValue("error", e.getMessage()).log();
    }

    static void busy(String path, String reason) {
        LogEvent.warn(LOG, "busy").addKeyValue("path", path).addKeyValue("reason", reason).log();
    }

    static void badRequest(String path, int status, String reason) {
        LogEvent.info(LOG, "bad_request").addKeyValue("path", path).addKeyValue("status", status).addKeyValue("reason", reason).log();
    }

    static void badRequest(String path, String reason) {
        LogEvent.info(LOG, "bad_request").addKeyValue("path", path).addKeyValue("reason", reason).log();
    }

    static void unexpectedError(String path, Exception e) {
        LogEvent.error(LOG, "unexpected_error").addKeyValue("path", path).addKeyValue("error", e.toString()).setCause(e).log();
    }

    static void stopping(long delayMillis, long graceMillis) {
        LogEvent.info(LOG, "stopping").addKeyValue("delay_ms", delayMillis).addKeyValue("grace_ms", graceMillis).log();
    }

    static void stopped() {
        LogEvent.info(LOG, "stopped").log();
    }

    /** Three decimals, a number in JSON. */
    private static BigDecimal millisSince(long startNanos) {
        return BigDecimal.valueOf(System.nanoTime() - startNanos, 6).setScale(3, RoundingMode.HALF_UP);
    }
}
