package io.milvus.upgrade.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChildNamesTest {

    /** A DNS subdomain (RFC 1123), as the apiserver checks ConfigMap, PVC and Event names. */
    static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A DNS label, as Job names must be (they become the job-name label of their pods). */
    static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    @ParameterizedTest
    @ValueSource(ints = {1, 40, 63, 64, 200, 240, 253})
    void everyChildNameIsValidForAnyUpgradeNameTheApiserverAccepts(int length) {
        String upgrade = name(length);
        for (TaskKind kind : TaskKind.values()) {
            String configMap = ChildNames.configMap(upgrade, kind);
            assertThat(configMap).hasSizeLessThanOrEqualTo(253).matches(SUBDOMAIN);
            assertThat(ChildNames.job(upgrade, kind, 12)).hasSizeLessThanOrEqualTo(63).matches(LABEL);
        }
        assertThat(ChildNames.label(upgrade)).hasSizeLessThanOrEqualTo(63);
        assertThat(Arrays.stream(TaskKind.values()).map(k -> ChildNames.configMap(upgrade, k)).distinct()).hasSize(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 40})
    void shortNamesStayReadable(int length) {
        String upgrade = name(length);
        assertThat(ChildNames.configMap(upgrade, TaskKind.BACKUP)).isEqualTo(upgrade + "-backup-meta-config");
        assertThat(ChildNames.job(upgrade, TaskKind.UPDATE, 0)).isEqualTo(upgrade + "-update-meta-0");
    }

    /** {@code a-b-c...} of {@code length} characters, a valid name. */
    static String name(int length) {
        StringBuilder name = new StringBuilder();
        while (name.length() < length) name.append(name.length() % 2 == 0 ? 'a' : '-');
        if (name.charAt(length - 1) == '-') name.setCharAt(length - 1, 'z');
        return name.toString();
    }
}
