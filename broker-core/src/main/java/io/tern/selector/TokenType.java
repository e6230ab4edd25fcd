package io.tern.selector;

import java.util.Locale;

/**
 * The kinds of token in a selector.
 *
 * <p>Immutable and thread-safe.
 */
enum TokenType {
    IDENTIFIER,
    STRING,
    EXACT_NUMBER,
    APPROXIMATE_NUMBER,
    LEFT_PAREN,
    RIGHT_PAREN,
    COMMA,
    EQUAL,
    NOT_EQUAL,
    LESS,
    LESS_OR_EQUAL,
    GREATER,
    GREATER_OR_EQUAL,
    PLUS,
    MINUS,
    STAR,
    SLASH,
    // Keywords, reserved in any letter case.
    NULL,
    TRUE,
    FALSE,
    NOT,
    AND,
    OR,
    BETWEEN,
    LIKE,
    IN,
    IS,
    ESCAPE,
    END;

    boolean isKeyword() {
        return compareTo(NULL) >= 0 && this != END;
    }

    /** The keyword spelled by the word in any letter case, or null if the word is not a keyword. */
    static TokenType keyword(String word) {
        // Only ASCII spellings: upper-casing would otherwise turn, say, a dotless i into I.
        for (int i = 0; i < word.length(); i++) {
            if (word.charAt(i) > 0x7f) {
                return null;
            }
        }
        switch (word.toUpperCase(Locale.ROOT)) {
            case "NULL":
                return NULL;
            case "TRUE":
                return TRUE;
            case "FALSE":
                return FALSE;
            case "NOT":
                return NOT;
            case "AND":
                return AND;
            case "OR":
                return OR;
            case "BETWEEN":
                return BETWEEN;
            case "LIKE":
                return LIKE;
            case "IN":
                return IN;
            case "IS":
                return IS;
            case "ESCAPE":
                return ESCAPE;
            default:
                return null;
        }
    }
}
