package io.milvus.upgrade.plan;

import io.milvus.upgrade.version.Version;
import java.util.List;
import java.util.stream.Collectors;

/** The steps from the version a Milvus runs to a target, each admitted by the policy in turn. */
public record SafePath(Version from, Version to, List<PlannedStep> steps) {

    public SafePath {
        steps = List.copyOf(steps);
    }

    /** "change ... to v2.5.16, then enable mixCoord ..., then change ... to v2.6.11", for denial messages. */
    public String describe() {
        return steps.stream().map(PlannedStep::clause).collect(Collectors.joining(", then "));
    }
}
