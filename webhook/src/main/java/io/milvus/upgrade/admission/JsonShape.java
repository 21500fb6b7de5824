package io.milvus.upgrade.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.io.IOException;

/**
 * How much of each kind a JSON document holds, counted by one pass of the streaming parser that
 * allocates no tree: what a review will cost to decode, known before it is decoded. Pathological
 * JSON ({@code [{},{},..]}, a million one-letter strings) costs 30-65 times its size as a tree,
 * plain Kubernetes JSON a few times; counting nodes tells the two apart.
 *
 * @param bytes                 the document's length
 * @param containers            objects and lists
 * @param values                scalars, including nulls
 * @param fields                field names
 * @param textBytes             characters in strings and field names
 * @param longestText           characters in the longest string or field name
 * @param largestElementBytes   the estimated tree of the largest element of any list (a conversion holds one object at a time)
 */
public record JsonShape(long bytes, long containers, long values, long fields, long textBytes, long longestText, long largestElementBytes) {

    /** Heap per node of a Jackson tree, measured (JDK 25, compressed oops): an ObjectNode with its map, a TextNode with its String. */
    private static final int BYTES_PER_CONTAINER = 120;
    private static final int BYTES_PER_VALUE = 48;
    private static final int BYTES_PER_FIELD = 72;

    /** The heap a tree of the whole document takes, estimated from its counts. */
    public long treeBytes() {
        return containers * BYTES_PER_CONTAINER + values * BYTES_PER_VALUE + fields * BYTES_PER_FIELD + textBytes;
    }

    /** The heap the tree of the largest list element takes, estimated as {@link #treeBytes()} is, text included. */
    public long largestElementTreeBytes() {
        return largestElementBytes;
    }

    /**
     * Counts the document the parser reads; refuses numbers that no double holds ({@code 1e999})
     * and anything after the first value.
     */
    static JsonShape scan(JsonParser parser, long bytes) throws IOException, BadReviewException {
        long containers = 0, values = 0, fields = 0, text = 0, longest = 0, largest = 0;
        // Per open container: the tree bytes counted when it opened, and whether it is a list element.
        long[] openedAt = new long[ApiSerialization.MAX_NESTING_DEPTH + 2];
        boolean[] inList = new boolean[ApiSerialization.MAX_NESTING_DEPTH + 2];
        long tree = 0;
        int depth = 0;
        // A string's length is taken from where the next token starts, not from its text: asking
        // for the text would decode it into the parser's buffer, megabytes for a huge string.
        long stringStart = -1;
        JsonToken token;
        while ((token = parser.nextToken()) != null) {
            if (stringStart >= 0) {
                long length = Math.max(0, parser.currentTokenLocation().getByteOffset() - stringStart);
                text += length;
                longest = Math.max(longest, length);
                tree += length;
                stringStart = -1;
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> {
                    containers++;
                    openedAt[depth] = tree;
                    tree += BYTES_PER_CONTAINER;
                    inList[depth] = parser.getParsingContext().getParent().inArray();
                    depth++;
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    if (inList[depth]) largest = Math.max(largest, tree - openedAt[depth]);
                }
                case FIELD_NAME -> {
                    fields++;
                    int length = parser.getTextLength();
                    text += length;
                    longest = Math.max(longest, length);
                    tree += BYTES_PER_FIELD + length;
                }
                case VALUE_STRING -> {
                    values++;
                    tree += BYTES_PER_VALUE;
                    stringStart = parser.currentTokenLocation().getByteOffset();
                }
                case VALUE_NUMBER_FLOAT -> {
                    values++;
                    tree += BYTES_PER_VALUE;
                    if (!Double.isFinite(parser.getDoubleValue())) {
                        throw new BadReviewException("request body has a number out of range: " + abbreviated(parser.getText()));
                    }
                }
                default -> {
                    values++;
                    tree += BYTES_PER_VALUE;
                }
            }
            if (depth == 0) {
                break;
            }
        }
        if (stringStart >= 0) { // the document is one string
            text = longest = Math.max(0, bytes - stringStart);
            tree += text;
        }
        if (parser.nextToken() != null) {
            throw new BadReviewException("request body has data after its JSON value");
        }
        return new JsonShape(bytes, containers, values, fields, text, longest, largest);
    }

    /** A node's JSON type as a message names it: "a number", "an object". */
    public static String typeOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "a list";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case STRING, BINARY -> "a string";
            case NULL, MISSING -> "null";
        };
    }

    /** The JSON type of the value a token starts, as {@link #typeOf(JsonNode)} names it. */
    public static String typeOf(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_STRING -> "a string";
            default -> "null";
        };
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
