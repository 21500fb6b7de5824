package io.milvus.upgrade.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.version.Version;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the built-in steps read each change: the one reading the guard, the MilvusUpgrade rules and the planner share. */
class VersionMoveTest {

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource({
            "2.1.4, 2.1.4+b, Unchanged",
            "2.1.4, 2.2.0, SkipsMigration", "2.1.4, 2.6.11, SkipsMigration", "2.1.4, 2.2.0-rc1, SkipsMigration",
            "2.2.0-rc1, 2.2.0, Upgrade", "2.1.2, 2.1.4, Upgrade", "2.2.3, 2.5.27, Upgrade", "2.5.3, 2.6.11, Upgrade",
            "2.6.0-rc1, 2.6.11, ExcludedSource", "2.4.17, 2.6.11, NoStep", "2.6.11, 2.7.0, NoStep",
            "2.6.11, 2.5.16, Downgrade", "2.2.0, 2.1.4, Downgrade"})
    void kinds(String from, String to, String kind) {
        assertThat(UpgradePolicy.builtIn().move(Version.of(from), Version.of(to)).getClass().getSimpleName()).isEqualTo(kind);
    }

    @ParameterizedTest(name = "{0} → {1}: plain {2}, declared {3}")
    @CsvSource({"2.5.16, 2.5.10, true, true", "2.5.16, 2.4.17, false, true", "2.4.17, 2.2.0, false, false",
            "2.6.11, 2.5.16, false, false", "2.2.0, 2.1.4, false, false", "3.0.0, 2.9.0, false, false"})
    void downgrades(String from, String to, boolean plain, boolean declared) {
        VersionMove.Downgrade move = (VersionMove.Downgrade) UpgradePolicy.builtIn().move(Version.of(from), Version.of(to));
        assertThat(move.allowed(false, Version.of(to))).isEqualTo(plain);
        assertThat(move.allowed(true, Version.of(to))).isEqualTo(declared);
    }

    @ParameterizedTest(name = "{0} → {1} below the minimum: {2}")
    @CsvSource({"2.5.3, 2.6.11, true", "2.5.16, 2.6.11, false", "2.5.20, 2.6.0, false"})
    void theStepTo26StartsFrom2516(String from, String to, boolean below) {
        VersionMove.Upgrade move = (VersionMove.Upgrade) UpgradePolicy.builtIn().move(Version.of(from), Version.of(to));
        assertThat(move.step().orElseThrow().isBelowMinimum(Version.of(from))).isEqualTo(below);
        assertThat(move.step().orElseThrow().topology()).isEqualTo(UpgradeStep.Topology.MIX_COORD);
    }
}
