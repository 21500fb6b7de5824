package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Kubectl;
import io.milvus.upgrade.localstack.Poll;
import io.milvus.upgrade.localstack.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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

    /**
     * Installs both fixtures as they are. WORKAROUND, marked so it is found and removed: until
     * the test apiserver's empty-string defect is fixed (issue 12, item 4), it refuses the
     * fixture's {@code default: ""}; only then is the Milvus fixture installed without them, and
     * this says so on stdout.
     */
    public static void install(ControlPlane plane) {
        for (String name : NAMES) {
            Path file = DIR.resolve(name + ".yaml");
            Kubectl.Result created = plane.kubectl("create", "-f", file.toString());
            if (created.exitCode() != 0 && created.output().contains("default")) {
                System.out.println("EMPTY-STRING DEFECT (issue 12, item 4): the test apiserver refused " + name
                        + " with its default: \"\"; installed without them: " + created.output().strip());
                created = Kubectl.run(plane.kubeconfig(), read(file).replace(", default: \"\"}", "}"), "create", "-f", "-");
            }
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

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
