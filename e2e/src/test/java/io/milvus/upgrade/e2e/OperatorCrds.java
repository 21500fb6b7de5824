package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.localstack.Repository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator-shaped CRD fixtures ({@code src/test/resources/operator-crds}, written from the
 * facts in issue 12) on a control plane, as a cluster that runs Milvus Operator has them.
 */
public final class OperatorCrds {

    static final List<String> NAMES = List.of("milvuses.milvus.io", "milvusupgrades.milvus.io");
    static final Path DIR = Repository.root().resolve("e2e/src/test/resources/operator-crds");

    private OperatorCrds() {
    }

    /** Installs both fixtures as they are, {@code default: ""} fields included (controller-gen writes dozens). */
    public static void install(ControlPlane plane) {
        for (String name : NAMES) {
            Kubectl.Result created = plane.kubectl("create", "-f", DIR.resolve(name + ".yaml").toString());
            assertThat(created.exitCode()).as(created.output()).isZero();
        }
        for (String name : NAMES) {
            Poll.until(Duration.ofSeconds(30), "CRD " + name + " established", () -> plane.kubectl("get", "crd", name, "-o",
                    "jsonpath={.status.conditions[?(@.type==\"Established\")].status}").stdout().equals("True"));
        }
    }

    /** Each CRD exactly as the apiserver returns it (resourceVersion and managedFields included). */
    public static Map<String, String> snapshot(ControlPlane plane) {
        Map<String, String> crds = new LinkedHashMap<>();
        for (String name : NAMES) {
            Kubectl.Result result = plane.kubectl("get", "crd", name, "-o", "json");
            assertThat(result.exitCode()).as(result.output()).isZero();
            crds.put(name, result.stdout());
        }
        return crds;
    }
}
