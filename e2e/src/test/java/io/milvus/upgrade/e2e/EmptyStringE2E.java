package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.Kubectl;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test apiserver keeps {@code ""} in custom resources and accepts {@code default: ""} in a CRD,
 * as a real v1.20.2 does: controller-gen CRDs (Milvus Operator's among them) carry dozens of
 * those defaults. A kube-apiserver 1.20 built with Go >= 1.16 took every decoded {@code ""} for
 * null in its OpenAPI type check; {@code .ci/install-control-plane.sh} patches that.
 */
class EmptyStringE2E {

    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: %1$ss.strings.example.com
            spec:
              group: strings.example.com
              scope: Namespaced
              names: {plural: %1$ss, singular: %1$s, kind: %2$s, listKind: %2$sList}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          a: {type: string}
                          b: {type: string}
                          defaulted: {type: string%3$s}
                          items: {type: array, items: {type: string}}
                          labels: {type: object, additionalProperties: {type: string}}
            """;

    @TempDir
    static Path dir;
    private static ControlPlane plane;

    @BeforeAll
    static void start() {
        plane = ControlPlane.start(dir);
    }

    @AfterAll
    static void stop() {
        if (plane != null) plane.close();
    }

    @Test
    void emptyStringsComeBackAsEmptyStrings() throws Exception {
        // No default in this CRD, so that the values alone are under test.
        installCrd("blank", "");
        JsonNode spec = createAndGet("blank", "given", """
                a: x
                b: ""
                defaulted: ""
                items: ["", "y"]
                labels: {empty: ""}
                """);
        assertThat(spec).isEqualTo(ApiSerialization.json().readTree(
                "{\"a\":\"x\",\"b\":\"\",\"defaulted\":\"\",\"items\":[\"\",\"y\"],\"labels\":{\"empty\":\"\"}}"));
    }

    @Test
    void anOmittedFieldGetsItsEmptyStringDefault() throws Exception {
        installCrd("defaulted", ", default: \"\"");
        JsonNode spec = createAndGet("defaulted", "omitted", "a: x\n");
        assertThat(spec.get("defaulted")).as(spec.toString()).isNotNull();
        assertThat(spec.get("defaulted").isTextual()).as(spec.toString()).isTrue();
        assertThat(spec.get("defaulted").asText()).isEmpty();
    }

    /** @param defaultClause appended to the schema of {@code spec.defaulted} */
    private static void installCrd(String singular, String defaultClause) {
        Kubectl.Result created = Kubectl.run(plane.kubeconfig(), CRD.formatted(singular, kind(singular), defaultClause), "create", "-f", "-");
        assertThat(created.exitCode()).as(created.output()).isZero();
        Kubectl.Result established = plane.kubectl("wait", "--for=condition=Established", "--timeout=60s",
                "crd/" + singular + "s.strings.example.com");
        assertThat(established.exitCode()).as(established.output()).isZero();
    }

    private static JsonNode createAndGet(String singular, String name, String specYaml) throws Exception {
        String object = """
                apiVersion: strings.example.com/v1
                kind: %s
                metadata: {name: %s, namespace: default}
                spec:
                """.formatted(kind(singular), name) + specYaml.indent(2);
        Kubectl.Result created = Kubectl.run(plane.kubeconfig(), object, "create", "-f", "-");
        assertThat(created.exitCode()).as(created.output()).isZero();
        Kubectl.Result read = plane.kubectl("get", singular + "s.strings.example.com", name, "-n", "default", "-o", "json");
        assertThat(read.exitCode()).as(read.output()).isZero();
        return ApiSerialization.json().readTree(read.stdout()).get("spec");
    }

    private static String kind(String singular) {
        return Character.toUpperCase(singular.charAt(0)) + singular.substring(1);
    }
}
