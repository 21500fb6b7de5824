package io.milvus.upgrade.admission;

import io.milvus.upgrade.verdict.Verdict;

/** Decides whether a create, update or delete of a {@code T} may go ahead. */
public interface Validator<T> {

    Verdict validateCreate(T object, AdmissionContext context);

    Verdict validateUpdate(T oldObject, T object, AdmissionContext context);

    default Verdict validateDelete(T oldObject, AdmissionContext context) {
        return Verdict.allowed();
    }
}
