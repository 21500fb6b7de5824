package io.milvus.upgrade.review;

/**
 * Where a document came from, as a user finds it again: the file (or {@code -} for standard
 * input), the document's position in it (1-based, counting every {@code ---}), and for an item
 * of a {@code List} object its index. Document 0 stands for the whole file.
 */
public record DocumentRef(String source, int document, int item) {

    public static final int NO_ITEM = -1;

    public static DocumentRef file(String source) {
        return new DocumentRef(source, 0, NO_ITEM);
    }

    public static DocumentRef document(String source, int document) {
        return new DocumentRef(source, document, NO_ITEM);
    }

    public DocumentRef item(int index) {
        return new DocumentRef(source, document, index);
    }

    /** "document 2" or "document 2, items[0]"; empty for the whole file. */
    public String position() {
        if (document == 0) return "";
        return "document " + document + (item == NO_ITEM ? "" : ", items[" + item + "]");
    }

    @Override
    public String toString() {
        return document == 0 ? source : source + " (" + position() + ")";
    }
}
