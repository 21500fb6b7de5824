package io.milvus.upgrade.server;

import io.javalin.config.JavalinConfig;
import io.milvus.upgrade.admission.AdmissionEndpoint;
import io.milvus.upgrade.admission.AdmissionReviewCodec;
import java.util.List;

/** Which path answers what: the review paths behind the gate, then health, readiness and metrics. */
final class Routes {

    private Routes() {
    }

    static void register(JavalinConfig config, List<AdmissionEndpoint> endpoints, ConversionEndpoint conversion,
                         ReviewGate gate, Rotation rotation, ReviewMetrics metrics) {
        AdmissionReviewCodec codec = new AdmissionReviewCodec();
        for (AdmissionEndpoint endpoint : endpoints) {
            config.routes.post(endpoint.path(), gate.guard(endpoint.path(), ReviewCost.ADMISSION, new AdmissionHandler(endpoint, codec)));
        }
        config.routes.post(ConversionEndpoint.PATH, gate.guard(ConversionEndpoint.PATH, ReviewCost.CONVERSION, new ConversionHandler(conversion)));
        config.routes.get("/healthz", ctx -> ctx.result("ok"));
        config.routes.get("/readyz", rotation::readiness);
        config.routes.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
        config.routes.after(rotation::afterRequest);
        config.routes.exception(Exception.class, (e, ctx) -> Refusals.internalError(ctx, e));
    }
}
