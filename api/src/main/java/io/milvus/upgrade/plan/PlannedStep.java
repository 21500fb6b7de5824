package io.milvus.upgrade.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.version.Version;

/**
 * One step of a {@link SafePath}: what to apply, and the Milvus as it is once the step is done.
 * {@link #patch()} is the JSON Patch (RFC 6902) from the Milvus before the step to
 * {@link #milvusAfter()}; for a migration it is the change the controller makes at its end.
 */
public sealed interface PlannedStep {

    Milvus milvusAfter();

    JsonNode patch();

    /** One sentence for people. */
    String summary();

    /** A short clause for denial messages: "change the image to milvusdb/milvus:v2.5.16". */
    String clause();

    /** In cluster mode, mixCoord in place of the four separate coordinators, before a step that requires it. */
    record EnableMixCoord(Milvus milvusAfter, JsonNode patch) implements PlannedStep {
        @Override
        public String summary() {
            return "Enable mixCoord in place of rootCoord, dataCoord, queryCoord and indexCoord (the next step requires it)";
        }

        @Override
        public String clause() {
            return "enable mixCoord (spec.components.mixCoord) in place of the four coordinators";
        }
    }

    /**
     * An image change the guard admits; {@code rollingDowngrade} when it is a declared downgrade,
     * {@code wholeObject} when the step is applied as the complete Milvus object (3.0).
     */
    record ChangeImage(Version from, Version to, String image, boolean rollingDowngrade, boolean wholeObject, Milvus milvusAfter,
                       JsonNode patch) implements PlannedStep {
        @Override
        public String summary() {
            return "Change the image from " + from + " to " + to + " (" + image + ")"
                    + (rollingDowngrade ? ", declared with spec.components.imageUpdateMode: rollingDowngrade" : "")
                    + (wholeObject ? ", applying the complete Milvus object (not an image-only patch)" : "");
        }

        @Override
        public String clause() {
            return "change spec.components.image to " + image + (rollingDowngrade ? " with imageUpdateMode: rollingDowngrade" : "");
        }
    }

    /** A MilvusUpgrade that migrates the metadata; the controller then starts {@code image}. */
    record MigrateMetadata(Version from, Version to, String image, MilvusUpgrade upgrade, Milvus milvusAfter, JsonNode patch)
            implements PlannedStep {
        @Override
        public String summary() {
            return "Migrate the metadata from " + from + " to " + to + " with MilvusUpgrade " + upgrade.getMetadata().getName()
                    + "; its controller then starts " + image;
        }

        @Override
        public String clause() {
            return "upgrade to " + to + " with a MilvusUpgrade (sourceVersion " + from + ", targetVersion " + to + ")";
        }
    }
}
