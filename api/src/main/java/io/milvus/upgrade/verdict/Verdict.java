package io.milvus.upgrade.verdict;

import java.util.ArrayList;
import java.util.List;

/** A validator's answer: allowed when there are no errors; warnings go back either way. */
public record Verdict(List<FieldError> errors, List<String> warnings) {

    public Verdict {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public static Verdict allowed() {
        return new Verdict(List.of(), List.of());
    }

    public boolean isAllowed() {
        return errors.isEmpty();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects every broken rule, so that the user sees all of them at once. */
    public static final class Builder {
        private final List<FieldError> errors = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        public Builder deny(FieldError error) {
            errors.add(error);
            return this;
        }

        public Builder warn(String warning) {
            warnings.add(warning);
            return this;
        }

        public Builder warnAll(List<String> more) {
            warnings.addAll(more);
            return this;
        }

        public boolean hasErrors() {
            return !errors.isEmpty();
        }

        public Verdict build() {
            return new Verdict(errors, warnings);
        }
    }
}
