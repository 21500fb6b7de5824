package io.milvus.upgrade.testing;

import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.verdict.Verdict;
import io.milvus.upgrade.policy.PolicyException;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.PolicySource;
import java.util.List;

/** What rule tests ask of verdicts and policies. */
public final class Verdicts {

    private Verdicts() {
    }

    /** The field paths of a verdict's errors, in order. */
    public static List<String> fields(Verdict verdict) {
        return verdict.errors().stream().map(FieldError::field).toList();
    }

    /** A fixed policy from policy-file YAML. */
    public static PolicySource policy(String yaml) {
        try {
            return PolicySource.fixed(PolicyFile.parse(yaml, "test"));
        } catch (PolicyException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
