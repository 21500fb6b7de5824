package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.UpgradeCondition;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The conditions of a MilvusUpgrade, derived from where it stands: Kubernetes' {@code Ready},
 * {@code Progressing} and {@code Failed}, plus the reference's {@code Upgraded} and (once rolling
 * back) {@code Rollbacked}, so that {@code kubectl wait --for=condition=Upgraded} works.
 * A transition time moves only when the condition's status changes.
 */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String FAILED = "Failed";
    public static final String UPGRADED = "Upgraded";
    public static final String ROLLBACKED = "Rollbacked";
    private static final int MAX_MESSAGE = 32768;
    private static final Set<String> OURS = Set.of(READY, PROGRESSING, FAILED, UPGRADED, ROLLBACKED);

    private Conditions() {
    }

    /** A reason and message for Progressing (when blocked) or Failed. */
    public record Problem(String reason, String message) {
    }

    /**
     * @param blocked  the upgrade cannot proceed until something outside it changes, or null
     * @param failure  the upgrade failed for good and waits for a person, or null
     * @param progress what the current step is doing or waiting for, or null
     */
    public record StepReport(UpgradeState state, boolean rollingBack, Problem blocked, Problem failure, String progress) {
    }

    public static List<UpgradeCondition> next(List<UpgradeCondition> previous, StepReport standing, long generation, Instant now) {
        List<UpgradeCondition> old = previous == null ? List.of() : previous;
        String stateReason = reason(standing.state());
        boolean done = standing.state() == UpgradeState.SUCCEEDED || standing.state() == UpgradeState.ROLLBACKED_SUCCEEDED;
        boolean moving = !standing.state().isTerminal() && standing.blocked() == null && standing.failure() == null;

        List<UpgradeCondition> wanted = new ArrayList<>();
        wanted.add(condition(READY, done, stateReason, done ? standing.progress() : null));
        wanted.add(moving
                ? condition(PROGRESSING, true, stateReason, standing.progress())
                : standing.blocked() != null
                        ? condition(PROGRESSING, false, standing.blocked().reason(), standing.blocked().message())
                        : condition(PROGRESSING, false, stateReason, null));
        wanted.add(standing.failure() != null
                ? condition(FAILED, true, standing.failure().reason(), standing.failure().message())
                : condition(FAILED, false, stateReason, null));
        wanted.add(condition(UPGRADED, standing.state() == UpgradeState.SUCCEEDED, stateReason, null));
        if (standing.rollingBack()) {
            wanted.add(condition(ROLLBACKED, standing.state() == UpgradeState.ROLLBACKED_SUCCEEDED, stateReason, null));
        }

        List<UpgradeCondition> result = new ArrayList<>();
        for (UpgradeCondition condition : wanted) {
            condition.setObservedGeneration(generation);
            result.add(stamped(condition, find(old, condition.getType()), now));
        }
        // Conditions of other writers (the reference's CheckingUpgrationState, say) stay as they are.
        old.stream().filter(c -> !OURS.contains(c.getType())).forEach(result::add);
        return result;
    }

    /** The state as a condition reason: its wire name, {@code Pending} before the first step. */
    public static String reason(UpgradeState state) {
        return state == UpgradeState.PENDING ? "Pending" : state.wireName();
    }

    public static UpgradeCondition find(List<UpgradeCondition> conditions, String type) {
        if (conditions == null) return null;
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static UpgradeCondition condition(String type, boolean status, String reason, String message) {
        UpgradeCondition c = new UpgradeCondition();
        c.setType(type);
        c.setStatus(status ? "True" : "False");
        c.setReason(reason);
        // Never empty, never over the limit: the operator's MilvusUpgrade schema requires a message of
        // at most 32768 characters on every condition, and refuses the whole status write otherwise.
        c.setMessage(message == null || message.isBlank() ? type + " is " + c.getStatus() + " in state " + reason : bounded(message));
        return c;
    }

    private static String bounded(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    private static UpgradeCondition stamped(UpgradeCondition c, UpgradeCondition old, Instant now) {
        String time = now.toString();
        boolean sameStatus = old != null && Objects.equals(old.getStatus(), c.getStatus());
        c.setLastTransitionTime(sameStatus && old.getLastTransitionTime() != null ? old.getLastTransitionTime() : time);
        return c;
    }
}
