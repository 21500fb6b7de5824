package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.runningV214;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusStatus;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceMatchesRunningRuleTest {

    private static final SourceMatchesRunningRule RULE = new SourceMatchesRunningRule();

    @Test
    void sourceVersionMustMatchTheRunningMilvus() {
        Verdict verdict = check(RULE, spec("2.1.3", "2.2.0"), runningV214());
        assertThat(fields(verdict)).containsExactly("spec.sourceVersion");
        assertThat(verdict.errors().get(0).message()).contains("Milvus default/my-release runs milvusdb/milvus:v2.1.4 (spec.components.image)")
                .contains("set sourceVersion to 2.1.4");
    }

    @Test
    void aComponentImageCountsWhenTheComponentRuns() {
        String components = "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy:\n    image: milvusdb/milvus:v2.1.3\n";
        Verdict cluster = check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster().with(milvus("my-release", "mode: cluster\n" + components)));
        assertThat(cluster.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("runs milvusdb/milvus:v2.1.3 (spec.components.proxy.image)")
                .contains("different versions [2.1.4, 2.1.3]; bring them to one version first"));

        Verdict standalone = check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster().with(milvus("my-release", components)));
        assertThat(standalone.errors()).as("a standalone Milvus runs no proxy").isEmpty();
    }

    @Test
    void everyComponentOverridingTheGlobalImageHidesIt() {
        Milvus milvus = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.0\n  standalone: {image: milvusdb/milvus:v2.1.4}\n");
        assertThat(check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster().with(milvus)).errors()).isEmpty();
    }

    @Test
    void whatTheOperatorObservedWinsOverTheSpec() {
        Milvus rollingOut = milvusWithImage("milvusdb/milvus:v2.1.4");
        rollingOut.setStatus(status("currentImage", "milvusdb/milvus:v2.1.3"));
        Verdict current = check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster().with(rollingOut));
        assertThat(current.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("runs milvusdb/milvus:v2.1.3 (status.currentImage); set sourceVersion to 2.1.3"));

        Milvus deployed = milvusWithImage("milvusdb/milvus:v2.1.4");
        deployed.setStatus(status("componentsDeployStatus", Map.of("standalone", Map.of("image", "milvusdb/milvus:v2.1.2"))));
        Verdict perComponent = check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster().with(deployed));
        assertThat(perComponent.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("runs milvusdb/milvus:v2.1.2 (status.componentsDeployStatus.standalone.image)"));
    }

    private static MilvusStatus status(String field, Object value) {
        return ApiSerialization.json().convertValue(Map.of("status", "Healthy", field, value), MilvusStatus.class);
    }

    @Test
    void aTagThatIsNoVersionOrNoImageIsAWarning() {
        Verdict custom = check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster().with(milvusWithImage("milvusdb/milvus:my-build")));
        assertThat(custom.isAllowed()).isTrue();
        assertThat(custom.warnings()).singleElement().satisfies(w -> assertThat(w).contains("whose tag is not a version"));

        Verdict none = check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster().with(milvus("my-release", "mode: standalone")));
        assertThat(none.isAllowed()).isTrue();
        assertThat(none.warnings()).singleElement().satisfies(w -> assertThat(w).contains("names no image"));
    }

    @Test
    void anUnreadableMilvusIsAWarningThatNamesItAndTheReason() {
        Verdict unavailable = check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster().unavailable("no permission to read Milvus default/my-release"));
        assertThat(unavailable.isAllowed()).isTrue();
        assertThat(unavailable.warnings()).anyMatch(w -> w.contains("could not read Milvus default/my-release") && w.contains("no permission"));

        Verdict missing = check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster());
        assertThat(missing.isAllowed()).isTrue();
        assertThat(missing.warnings()).singleElement().satisfies(w -> assertThat(w).contains("Milvus default/my-release was not found"));

        Verdict noCluster = check(RULE, spec("2.1.4", "2.2.0"), ClusterLookup.none());
        assertThat(noCluster.isAllowed()).isTrue();
        assertThat(noCluster.warnings()).anyMatch(w -> w.contains("no cluster connection"));
    }

    @Test
    void theMilvusIsLookedUpInItsNamespace() {
        Milvus elsewhere = milvusWithImage("milvusdb/milvus:v2.1.3");
        elsewhere.getMetadata().setNamespace("prod");
        FakeCluster cluster = new FakeCluster().with(elsewhere).with(milvusWithImage("milvusdb/milvus:v2.1.4"));
        Verdict verdict = check(RULE, "milvus: {name: my-release, namespace: prod}\nsourceVersion: 2.1.4\ntargetVersion: 2.2.0\n", cluster);
        assertThat(verdict.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("Milvus prod/my-release runs"));
    }
}
