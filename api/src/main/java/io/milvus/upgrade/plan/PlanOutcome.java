package io.milvus.upgrade.plan;

/** What the planner found: a safe path, or why there is none. */
public sealed interface PlanOutcome {

    record Found(SafePath path) implements PlanOutcome {
    }

    record NoPath(String why) implements PlanOutcome {
    }
}
