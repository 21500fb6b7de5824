package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertImageFromAllowedRepositories;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.defaulted;
import static io.milvus.upgrade.testing.RuleFixtures.runningV214;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;

class ToolImageRuleTest {

    @Test
    void aToolImageOutsideThePolicyIsAWarning() {
        Verdict verdict = check(new ToolImageRule(), spec("2.1.4", "2.2.0") + "toolImage: milvusdb/meta-migration:v2.2.0\n");
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).startsWith("spec.toolImage")
                .contains("not the policy's migration image").contains("milvusdb/meta-migration:v2.2.0-bugfix-20230112"));
    }

    @Test
    void anUnpinnedToolImageIsDenied() {
        Verdict verdict = check(new ToolImageRule(), spec("2.1.4", "2.2.0") + "toolImage: milvusdb/meta-migration:latest\n");
        assertThat(fields(verdict)).containsExactly("spec.toolImage");
    }

    @Test
    void aPathWithoutAToolImageNeedsOne() {
        var noTool = policy("toolImages: []");
        Verdict verdict = check(new ToolImageRule(), defaulted(spec("2.1.4", "2.2.0"), noTool), noTool, runningV214());
        assertThat(fields(verdict)).containsExactly("spec.toolImage");
        assertThat(verdict.errors().get(0).type()).isEqualTo(FieldError.Type.REQUIRED);
    }

    @Test
    void allowedRepositoriesApply() {
        assertImageFromAllowedRepositories(new ToolImageRule(), "spec.toolImage", "toolImage: registry.local/meta-migration:v1\n");
    }
}
