package io.milvus.upgrade.admission;

import java.util.List;

/**
 * Fills in what the user left out. It may only add: the response patch is built from what it
 * added to the request's raw object, so a value the user wrote is never rewritten or removed.
 */
@FunctionalInterface
public interface Defaulter<T> {

    /** Sets defaults on {@code object} in place; returns warnings for the user. */
    List<String> applyDefaults(T object, AdmissionContext context);
}
