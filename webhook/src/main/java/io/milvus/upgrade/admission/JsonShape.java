package io.milvus.upgrade.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * How much of each kind a JSON document holds, counted by one pass of the streaming parser that
 * allocates no tree: what a review will cost to decode, known before it is decoded. Pathological
 * JSON ({@code [{},{},..]}, a million one-letter strings) costs 30-65 times its size as a tree,
 * plain Kubernetes JSON a few times; counting nodes tells the two apart.
 *
 * @param bytes          the document's length
 * @param containers     objects and lists
 * @param values         scalars, including nulls
 * @param fields         field names
 * @param textBytes      characters in strings and field names
 * @param largestElement nodes in the largest element of any list (a conversion holds one object at a time)
 */
public record JsonShape(long bytes, long containers, long values, long fields, long textBytes, long largestElement) {

    /** Heap per node of a Jackson tree, measured (JDK 25, compressed oops): an ObjectNode with its map, a TextNode with its String. */
    private static final int BYTES_PER_CONTAINER = 120;
    private static final int BYTES_PER_VALUE = 48;
    private static final int BYTES_PER_FIELD = 72;

    /** The heap a tree of the whole document takes, estimated from its counts. */
    public long treeBytes() {
        return containers * BYTES_PER_CONTAINER + values * BYTES_PER_VALUE + fields * BYTES_PER_FIELD + textBytes;
    }

    /** The heap the tree of the largest list element takes, estimated. */
    public long largestElementTreeBytes() {
        long nodes = containers + values + fields;
        return nodes == 0 ? 0 : treeBytes() * largestElement / nodes + BYTES_PER_CONTAINER;
    }

    /**
     * Counts the document the parser reads; refuses numbers that no double holds ({@code 1e999})
     * and anything after the first value.
     */
    static JsonShape scan(JsonParser parser, long bytes) throws IOException, BadReviewException {
        long containers = 0, values = 0, fields = 0, text = 0, largest = 0;
        // Per open container: the node count when it opened, and whether it is a list element.
        long[] openedAt = new long[io.milvus.upgrade.api.serialization.ApiSerialization.MAX_NESTING_DEPTH + 2];
        boolean[] inList = new boolean[io.milvus.upgrade.api.serialization.ApiSerialization.MAX_NESTING_DEPTH + 2];
        int depth = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            long nodes = containers + values + fields;
            switch (token) {
                case START_OBJECT, START_ARRAY -> {
                    containers++;
                    openedAt[depth] = nodes;
                    inList[depth] = parser.getParsingContext().getParent().inArray();
                    depth++;
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    if (inList[depth]) largest = Math.max(largest, nodes - openedAt[depth]);
                }
                case FIELD_NAME -> {
                    fields++;
                    text += parser.getTextLength();
                }
                case VALUE_STRING -> {
                    values++;
                    text += parser.getTextLength();
                }
                case VALUE_NUMBER_FLOAT -> {
                    values++;
                    if (!Double.isFinite(parser.getDoubleValue())) {
                        throw new BadReviewException("request body has a number out of range: " + abbreviated(parser.getText()));
                    }
                }
                default -> values++;
            }
            if (depth == 0) {
                break;
            }
        }
        if (parser.nextToken() != null) {
            throw new BadReviewException("request body has data after its JSON value");
        }
        return new JsonShape(bytes, containers, values, fields, text, largest);
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
