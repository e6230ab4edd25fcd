package io.tern.selector;

/**
 * A token of a selector.
 *
 * @param type what it is
 * @param text the source text it was read from
 * @param position the 0-based index of its first character in the selector
 * @param value for a string literal the string with quotes removed and doubled quotes undone; else the text
 */
record Token(TokenType type, String text, int position, String value) {

    /** For error messages: "token ')'", "identifier 'color'", "end of selector", ... */
    String describe() {
        switch (type) {
            case END:
                return "end of selector";
            case IDENTIFIER:
                return "identifier '" + text + "'";
            case STRING:
                return "string literal " + text;
            case EXACT_NUMBER:
            case APPROXIMATE_NUMBER:
                return "number " + text;
            default:
                return type.isKeyword() ? "keyword '" + text + "'" : "token '" + text + "'";
        }
    }
}
