package io.milvus.upgrade.policy;

/** A policy file that cannot be used; the message names the file and what is wrong. */
public class PolicyException extends Exception {

    public PolicyException(String message) {
        super(message);
    }
}
