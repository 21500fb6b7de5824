package io.milvus.upgrade.admissionpolicy.cel;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.ifElse;

import io.milvus.upgrade.policy.UpgradeStep;
import io.milvus.upgrade.policy.VersionMove;
import io.milvus.upgrade.version.Version;
import java.util.List;

/**
 * {@link VersionMove#of} as one CEL expression over the policy's steps, in the same order of
 * questions, giving a string the rules test: {@code ''} (a version is unknown), {@code same},
 * {@code skip:I} (across migration step I), {@code excluded:I}, {@code up:I} (takes step I),
 * {@code up:} (within a minor line, no step), {@code nostep}, and for downgrades
 * {@code down:minor}, {@code down:migration}, {@code down:I} (undoes step I), {@code down:none}.
 * I is the step's index in the policy.
 */
public final class StepMoves {

    private final List<UpgradeStep> steps;

    public StepMoves(List<UpgradeStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public static String up(int step) {
        return "'up:" + step + "'";
    }

    public static String down(int step) {
        return "'down:" + step + "'";
    }

    public static String skip(int step) {
        return "'skip:" + step + "'";
    }

    /** The move from version text {@code fromText} to {@code toText} (both '' or versions). */
    public String classify(String fromText, String toText) {
        String from = CelVersions.semver(fromText);
        String to = CelVersions.semver(toText);
        return ifElse(fromText + " == '' || " + toText + " == ''", "''",
                ifElse(from + ".compareTo(" + to + ") == 0", "'same'",
                        ifElse(to + ".isLessThan(" + from + ")", downgrade(from, to), upgrade(from, to))));
    }

    private String upgrade(String from, String to) {
        String otherwise = ifElse(CelVersions.sameMinorLine(from, to), "'up:'", "'nostep'");
        for (int i = steps.size() - 1; i >= 0; i--) {
            UpgradeStep step = steps.get(i);
            if (!step.migration()) otherwise = ifElse(takes(step, from, to), up(i), otherwise);
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            UpgradeStep step = steps.get(i);
            if (!step.notFrom().isEmpty()) {
                otherwise = ifElse("(" + CelVersions.inRange(to, step.to()) + " && " + excludes(step, from) + ")", "'excluded:" + i + "'", otherwise);
            }
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            UpgradeStep step = steps.get(i);
            if (step.migration()) otherwise = ifElse(skipped(step, from, to), skip(i), otherwise);
        }
        return otherwise;
    }

    private String downgrade(String from, String to) {
        String otherwise = "'down:none'";
        for (int i = steps.size() - 1; i >= 0; i--) {
            UpgradeStep step = steps.get(i);
            if (!step.migration()) otherwise = ifElse(takes(step, to, from), down(i), otherwise);
        }
        String acrossMigration = String.join(" || ", steps.stream().filter(UpgradeStep::migration)
                .map(step -> skipped(step, to, from)).toList());
        if (!acrossMigration.isEmpty()) otherwise = ifElse("(" + acrossMigration + ")", "'down:migration'", otherwise);
        return ifElse(CelVersions.sameMinorLine(from, to), "'down:minor'", otherwise);
    }

    public static String takes(UpgradeStep step, String from, String to) {
        return "(" + CelVersions.inRange(from, step.from()) + " && " + CelVersions.inRange(to, step.to()) + ")";
    }

    /** {@link UpgradeStep#isSkippedBy}: from below the migration's boundary to at or beyond it. */
    private static String skipped(UpgradeStep migration, String from, String to) {
        Version boundary = migration.boundary();
        return "(!(" + CelVersions.reaches(from, boundary) + ") && " + CelVersions.reaches(to, boundary) + ")";
    }

    private static String excludes(UpgradeStep step, String from) {
        return "(" + String.join(" || ", step.notFrom().stream().map(v -> CelVersions.sameAs(from, v)).toList()) + ")";
    }
}
