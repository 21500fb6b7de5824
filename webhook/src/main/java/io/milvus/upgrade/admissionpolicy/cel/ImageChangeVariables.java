package io.milvus.upgrade.admissionpolicy.cel;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.ifElse;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.map;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.string;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.stringAt;

import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.components.MilvusImages;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The image changes of an update as CEL variables, read as the guard reads them
 * ({@code milvus.rules.ImageChanges}): each image field whose effective image (its own, else the
 * global one) or version changes; a removed image runs the operator's default; where no image was
 * named before, what the status reported, else the default. Each change is a map of strings:
 * {@code field, from, to, removed ('true' or ''), toOpTag (the operator's tag), toTag (the
 * runtime's), toRepo, toName (canonical), fv, tv} (the versions as text, '' when unknown) and
 * {@code move} ({@link StepMoves}). CEL in Kubernetes has no let-binding, so
 * each stage is a variable that the next reads.
 */
public final class ImageChangeVariables {

    public static final CelVariable OLD_GLOBAL = new CelVariable("oldGlobalImage", stringAt("oldObject", "spec.components.image"));
    public static final CelVariable NEW_GLOBAL = new CelVariable("newGlobalImage", stringAt("object", "spec.components.image"));
    /** The list every rule reads. */
    public static final String CHANGES = "variables.imageChanges";

    private ImageChangeVariables() {
    }

    public static List<CelVariable> of(UpgradePolicy policy) {
        String defaultImage = string(policy.operatorDefaultImage() == null ? "" : policy.operatorDefaultImage());
        List<CelVariable> variables = new ArrayList<>();
        variables.add(OLD_GLOBAL);
        variables.add(NEW_GLOBAL);
        variables.add(new CelVariable("imageFields", imageFields()));
        variables.add(new CelVariable("imagesRun", "variables.imageFields.filter(p, p.own == 'true' && (p.from != '' || p.to != ''))"
                + ".map(p, " + map(List.of(
                "field", "p.field",
                "from", ifElse("p.from != ''", "p.from", ifElse(stringAt("oldObject", "status.currentImage") + " != ''",
                        stringAt("oldObject", "status.currentImage"), defaultImage)),
                "to", ifElse("p.to == ''", defaultImage, "p.to"),
                "removed", ifElse("p.to == ''", "'true'", "''"))) + ")"));
        variables.add(new CelVariable("imageRefs", "variables.imagesRun.map(i, " + map(List.of(
                "field", "i.field", "from", "i.from", "to", "i.to", "removed", "i.removed",
                "fromOpTag", operatorTag("i.from"), "toOpTag", operatorTag("i.to"), "toRef", "i.to.split('@')[0]")) + ")"));
        variables.add(new CelVariable("imageTags", "variables.imageRefs.map(i, " + map(List.of(
                "field", "i.field", "from", "i.from", "to", "i.to", "removed", "i.removed", "fromOpTag", "i.fromOpTag",
                "toOpTag", "i.toOpTag", "toRef", "i.toRef", "toTag", tagOf("i.toRef"))) + ")"));
        variables.add(new CelVariable("imageVersions", "variables.imageTags.map(i, " + map(List.of(
                "field", "i.field", "from", "i.from", "to", "i.to", "removed", "i.removed", "toOpTag", "i.toOpTag", "toTag", "i.toTag",
                "toRepo", "i.toTag == '' ? i.toRef : i.toRef.substring(0, size(i.toRef) - size(i.toTag) - 1)",
                "fv", versionText("i.fromOpTag", "oldObject"), "tv", versionText("i.toOpTag", "object"))) + ")"));
        variables.add(new CelVariable("imageChanges", "variables.imageVersions"
                + ".filter(i, i.from != i.to || i.removed == 'true' || i.fv != i.tv)"
                + ".map(i, " + map(List.of(
                // Where only spec.components.version changed (the tag is no version), the change belongs there.
                "field", ifElse("i.removed != 'true' && i.from == i.to && i.field == " + string(MilvusImages.GLOBAL_FIELD),
                        "'spec.components.version'", "i.field"),
                "from", "i.from", "to", "i.to", "removed", "i.removed", "toOpTag", "i.toOpTag", "toTag", "i.toTag", "toRepo", "i.toRepo",
                "toName", CelImageNames.canonical("i.toRepo"),
                "fv", "i.fv", "tv", "i.tv", "move", new StepMoves(policy.steps()).classify("i.fv", "i.tv"))) + ")"));
        return variables;
    }

    /** The global image field and every component's, each with its effective image before and after. */
    private static String imageFields() {
        List<String> entries = new ArrayList<>();
        entries.add(map(List.of("field", string(MilvusImages.GLOBAL_FIELD), "from", OLD_GLOBAL.reference(),
                "to", NEW_GLOBAL.reference(), "own", "'true'")));
        for (Component component : Component.values()) {
            String field = component.imageField();
            String before = stringAt("oldObject", field);
            String after = stringAt("object", field);
            entries.add(map(List.of("field", string(field),
                    "from", ifElse(before + " != ''", before, OLD_GLOBAL.reference()),
                    "to", ifElse(after + " != ''", after, NEW_GLOBAL.reference()),
                    "own", ifElse(before + " != '' || " + after + " != ''", "'true'", "''"))));
        }
        return "[" + String.join(", ", entries) + "]";
    }

    /** What follows the last ':' after the last '/' of a reference without its digest: the tag, or ''. */
    private static String tagOf(String ref) {
        return ifElse(ref + ".lastIndexOf(':') > " + ref + ".lastIndexOf('/')", ref + ".substring(" + ref + ".lastIndexOf(':') + 1)", "''");
    }

    /**
     * The operator's tag: the text after the image's last ':'; '' for a digest-pinned image, whose
     * hex the operator's parser refuses ({@code ImageReference#operatorTagVersion}).
     */
    public static String operatorTag(String image) {
        return ifElse(image + ".contains('@') || " + image + ".lastIndexOf(':') < 0", "''", image + ".substring(" + image + ".lastIndexOf(':') + 1)");
    }

    /**
     * {@code components.MilvusImages#versionOf}, the version as the operator believes it:
     * spec.components.version where it is set (a text that is no version: unknown), else the
     * operator's tag when it is a version (variant suffix aside), else ''.
     */
    private static String versionText(String operatorTag, String object) {
        String release = CelVersions.releaseOfTag(operatorTag);
        String declared = stringAt(object, "spec.components.version");
        return ifElse(declared + " != ''", ifElse(CelVersions.isVersion(declared), declared, "''"),
                ifElse(CelVersions.isVersion(release), release, "''"));
    }
}
