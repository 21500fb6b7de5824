package io.milvus.upgrade.testing;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.Objects.upgrade;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.milvus.rules.GuardRule;
import io.milvus.upgrade.milvus.rules.MilvusChange;
import io.milvus.upgrade.milvusupgrade.MilvusUpgradeDefaulter;
import io.milvus.upgrade.milvusupgrade.rules.UpgradeRule;
import io.milvus.upgrade.milvusupgrade.rules.UpgradeUnderReview;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.verdict.Verdict;
import java.util.List;

/**
 * What the MilvusUpgrade rules, the Milvus image guard's rules and their validators are tested
 * with: the requests, the objects, and one rule run on its own the way its validator runs it.
 */
public final class RuleFixtures {

    /** Requests about the MilvusUpgrade {@code default/my-release-upgrade}. */
    public static final AdmissionContext CREATE_UPGRADE = AdmissionContext.offline(Operation.CREATE, "default", "my-release-upgrade");
    public static final AdmissionContext UPDATE_UPGRADE = AdmissionContext.offline(Operation.UPDATE, "default", "my-release-upgrade");

    /** Requests about the Milvus {@code default/my-release}: a create, and an update by alice. */
    public static final AdmissionContext CREATE_MILVUS = AdmissionContext.offline(Operation.CREATE, "default", "my-release");
    public static final AdmissionContext USER = updateBy("alice");

    /** rootCoord, dataCoord, queryCoord and indexCoord, as a flow mapping's entries: what 2.6 replaces with mixCoord. */
    public static final String SEPARATE_COORDINATORS =
            "rootCoord: {replicas: 1}, dataCoord: {replicas: 1}, queryCoord: {replicas: 1}, indexCoord: {replicas: 1}";

    private RuleFixtures() {
    }

    public static AdmissionContext updateBy(String user) {
        return new AdmissionContext("u", Operation.UPDATE, "default", "my-release", user, List.of(), false);
    }

    /** A MilvusUpgrade spec for Milvus my-release. */
    public static String spec(String source, String target) {
        return "milvus: {name: my-release}\nsourceVersion: \"" + source + "\"\ntargetVersion: \"" + target + "\"\n";
    }

    /** The spec after defaulting under the built-in policy, as the validating webhook sees it. */
    public static MilvusUpgrade defaulted(String spec) {
        return defaulted(spec, PolicySource.builtIn());
    }

    public static MilvusUpgrade defaulted(String spec, PolicySource policy) {
        MilvusUpgrade upgrade = upgrade(spec);
        new MilvusUpgradeDefaulter(policy).applyDefaults(upgrade, CREATE_UPGRADE);
        return upgrade;
    }

    public static MilvusUpgrade withState(MilvusUpgrade upgrade, String state) {
        MilvusUpgradeStatus status = upgrade.getStatus() == null ? new MilvusUpgradeStatus() : upgrade.getStatus();
        status.setState(state);
        upgrade.setStatus(status);
        return upgrade;
    }

    public static MilvusUpgrade named(String name, MilvusUpgrade upgrade) {
        upgrade.getMetadata().setName(name);
        return upgrade;
    }

    /** A cluster whose my-release runs 2.1.4. */
    public static FakeCluster runningV214() {
        return new FakeCluster().with(milvusWithImage("milvusdb/milvus:v2.1.4"));
    }

    /** An upgrade of my-release from 2.1.4 to 2.2.0 at {@code state}, as the controller leaves it. */
    public static MilvusUpgrade upgradeAt(String state) {
        MilvusUpgrade upgrade = withState(upgrade("milvus: {name: my-release}\nsourceVersion: 2.1.4\ntargetVersion: 2.2.0\n"
                + "targetImage: milvusdb/milvus:v2.2.0\n"), state);
        upgrade.getStatus().setSourceImage("milvusdb/milvus:v2.1.4");
        return upgrade;
    }

    /** One MilvusUpgrade rule on the defaulted spec, under the built-in policy, with my-release running 2.1.4. */
    public static Verdict check(UpgradeRule rule, String spec) {
        return check(rule, defaulted(spec), PolicySource.builtIn(), runningV214());
    }

    public static Verdict check(UpgradeRule rule, String spec, ClusterLookup cluster) {
        return check(rule, defaulted(spec), PolicySource.builtIn(), cluster);
    }

    public static Verdict check(UpgradeRule rule, MilvusUpgrade upgrade, PolicySource policy, ClusterLookup cluster) {
        RuleReport report = RuleReport.under(policy.current());
        rule.check(new UpgradeUnderReview(upgrade, CREATE_UPGRADE, report.policy(), cluster), report);
        return report.verdict();
    }

    /** One guard rule on alice's update, under the built-in policy, in a cluster with no upgrades. */
    public static Verdict check(GuardRule rule, Milvus old, Milvus milvus) {
        return check(rule, old, milvus, PolicySource.builtIn(), new FakeCluster());
    }

    public static Verdict check(GuardRule rule, Milvus old, Milvus milvus, PolicySource policy, ClusterLookup cluster) {
        RuleReport report = RuleReport.under(policy.current());
        rule.check(MilvusChange.ofUpdate(old, milvus, report.policy(), USER, cluster), report);
        return report.verdict();
    }

    /** One guard rule on a new Milvus. */
    public static Verdict checkCreate(GuardRule rule, Milvus milvus) {
        RuleReport report = RuleReport.under(PolicySource.builtIn().current());
        rule.check(MilvusChange.ofCreate(milvus, report.policy(), CREATE_MILVUS), report);
        return report.verdict();
    }

    /**
     * Under {@code allowedRepositories: [registry.local/]}, the defaulted image ({@code field}) is
     * denied, and {@code localImage} (a spec line that sets it) passes.
     */
    public static void assertImageFromAllowedRepositories(UpgradeRule rule, String field, String localImage) {
        PolicySource registryLocal = Verdicts.policy("allowedRepositories: [registry.local/]");
        Verdict verdict = check(rule, defaulted(spec("2.1.4", "2.2.0")), registryLocal, runningV214());
        assertThat(fields(verdict)).containsExactly(field);
        assertThat(verdict.errors()).allSatisfy(e -> assertThat(e.message()).contains("not allowed by the policy; use one of [registry.local/]"));
        assertThat(check(rule, defaulted(spec("2.1.4", "2.2.0") + localImage), registryLocal, runningV214()).errors()).isEmpty();
    }

    /** The verdict has one error, on {@code field}, whose message contains {@code message}. */
    public static void assertDeniedOn(Verdict verdict, String field, String message) {
        assertThat(fields(verdict)).containsExactly(field);
        assertThat(verdict.errors().get(0).message()).contains(message);
    }

    /**
     * A row of a constraint table (specs as one-line YAML flow mappings of Milvus my-release):
     * the rule denies the update on {@code field}, with {@code message} among that field's errors.
     */
    public static void assertDenies(GuardRule rule, String name, String before, String after, String field, String message) {
        Verdict result = check(rule, milvus("my-release", before), milvus("my-release", after));
        assertThat(result.errors()).as(name).extracting(FieldError::field).contains(field);
        assertThat(result.errors()).as(name).filteredOn(e -> e.field().equals(field))
                .anySatisfy(e -> assertThat(e.message()).contains(message));
    }
}
