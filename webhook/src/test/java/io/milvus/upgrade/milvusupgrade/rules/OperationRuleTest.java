package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationRuleTest {

    @ParameterizedTest(name = "operation {0}")
    @CsvSource({"upgrade, true", "rollback, true", "Upgrade, false", "downgrade, false"})
    void operations(String operation, boolean allowed) {
        Verdict verdict = check(new OperationRule(), spec("2.1.4", "2.2.0") + "operation: " + operation + "\n");
        assertThat(verdict.isAllowed()).isEqualTo(allowed);
        if (!allowed) {
            assertThat(fields(verdict)).containsExactly("spec.operation");
            assertThat(verdict.errors().get(0).type()).isEqualTo(FieldError.Type.NOT_SUPPORTED);
        }
    }
}
