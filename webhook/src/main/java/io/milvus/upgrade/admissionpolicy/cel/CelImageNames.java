package io.milvus.upgrade.admissionpolicy.cel;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.ifElse;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.string;

import io.milvus.upgrade.image.ImageReference;

/** {@link ImageReference#name()} as CEL: Docker Hub's registry names dropped, and its library/ namespace. */
public final class CelImageNames {

    private CelImageNames() {
    }

    public static String canonical(String repository) {
        String withoutHub = repository;
        for (String hub : ImageReference.DOCKER_HUB.reversed()) {
            withoutHub = ifElse(repository + ".startsWith(" + string(hub) + ")", repository + ".substring(" + hub.length() + ")", withoutHub);
        }
        String first = withoutHub + ".split('/')[0]";
        String hasRegistry = "(" + withoutHub + ".contains('/') && (" + first + ".contains('.') || " + first + ".contains(':') || "
                + first + " == 'localhost'))";
        return ifElse("!" + hasRegistry + " && " + withoutHub + ".startsWith(" + string(ImageReference.OFFICIAL) + ")",
                withoutHub + ".substring(" + ImageReference.OFFICIAL.length() + ")", withoutHub);
    }

    /** The canonical form of an allowed prefix as {@link ImageReference#isUnder} reads it, without its trailing '/'. */
    public static String canonicalPrefix(String prefix) {
        return ImageReference.canonicalPrefix(prefix);
    }
}
