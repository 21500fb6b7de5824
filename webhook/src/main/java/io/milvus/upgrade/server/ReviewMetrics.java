package io.milvus.upgrade.server;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Review count and latency per path and verdict, the serving certificate's expiry and the JVM's own metrics, in the Prometheus text format. */
final class ReviewMetrics {

    private static final Counter REVIEWS = Counter.builder()
            .name("milvus_upgrade_webhook_reviews_total")
            .help("Admission and conversion reviews answered, by path and verdict")
            .labelNames("path", "verdict")
            .register();
    private static final Histogram LATENCY = Histogram.builder()
            .name("milvus_upgrade_webhook_review_duration_seconds")
            .help("Time from request body read to response written, by path and verdict")
            .labelNames("path", "verdict")
            .classicOnly()
            .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
            .register();

    private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

    static {
        JvmMetrics.builder().register();
    }

    /** Seconds until the serving certificate of {@code tls} expires, from now on (one server per process). */
    static void watchCertificate(TlsContext tls) {
        servedCertificate = tls;
    }

    private static volatile TlsContext servedCertificate;
    private static final GaugeWithCallback CERTIFICATE_EXPIRY = GaugeWithCallback.builder()
            .name("milvus_upgrade_webhook_certificate_expiry_seconds")
            .help("Seconds until the serving certificate expires (negative once it has)")
            .callback(callback -> {
                TlsContext tls = servedCertificate;
                if (tls != null) callback.call(java.time.Duration.between(java.time.Instant.now(), tls.servingCertificateExpiry()).toSeconds());
            })
            .register();

    void record(String path, Verdict verdict, long nanos) {
        REVIEWS.labelValues(path, verdict.label).inc();
        LATENCY.labelValues(path, verdict.label).observe(nanos / 1e9);
    }

    String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, PrometheusRegistry.defaultRegistry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    String contentType() {
        return writer.getContentType();
    }

    enum Verdict {
        ALLOWED("allowed"), DENIED("denied"), CONVERTED("converted"), FAILED("failed"), BAD_REQUEST("bad_request"), BUSY("busy"), ABANDONED("abandoned"), ERROR("error");

        final String label;

        Verdict(String label) {
            this.label = label;
        }
    }
}
