package io.milvus.upgrade.admissionpolicy.cel;

/** A named CEL expression of the policy ({@code variables.NAME}), evaluated at most once per request. */
public record CelVariable(String name, String expression) {

    public String reference() {
        return "variables." + name;
    }
}
