package io.milvus.upgrade.controller.e2e;

import io.milvus.upgrade.e2e.OperatorCrds;
import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * Every controller run of {@link ControllerE2E} (the guide's example to Succeeded, failure and
 * rollback, deletion mid-way, kills, leader election), under the operator-shaped CRD fixtures
 * instead of ours, with our webhooks as the with-operator profile installs them: the controller
 * must run unchanged against either MilvusUpgrade CRD (issue 12, item 2).
 */
@Tag("e2e")
class ControllerUnderOperatorCrdsE2E extends ControllerE2E {

    static ControlPlane operatorPlane;
    static LocalStack nextToOperatorCrds;

    /** Hides {@link ControllerE2E#install}: its own control plane, with the operator's CRDs instead of ours. */
    @BeforeAll
    static void install(LocalStack ignored) throws Exception {
        Path dir = Files.createTempDirectory("operator-crds-");
        operatorPlane = ControlPlane.start(dir.resolve("control-plane"));
        OperatorCrds.install(operatorPlane);
        nextToOperatorCrds = LocalStack.startNextToInstalledCrds(operatorPlane, dir.resolve("stack"));
        plane = operatorPlane;
        stackUnderTest = nextToOperatorCrds;
        admin = nextToOperatorCrds.client();
        logs = Files.createDirectories(Repository.root().resolve("controller/target/e2e-logs/operator-crds"));
    }

    @AfterAll
    static void stopOperatorPlane() {
        if (nextToOperatorCrds != null) nextToOperatorCrds.close();
        if (operatorPlane != null) operatorPlane.close();
    }
}
