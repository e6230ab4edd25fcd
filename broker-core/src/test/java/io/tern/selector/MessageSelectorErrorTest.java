package io.tern.selector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.jms.InvalidSelectorException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Invalid selectors: each must be rejected with the 1-based position of the problem and the reason. */
class MessageSelectorErrorTest {

    /** Expected position, a fragment the message must contain, then the selector. */
    private static final String CASES = """
            # Syntax
            10 | unexpected token ')'                | a = (1 + ))
            4  | unexpected end of selector          | a =
            5  | unterminated string literal         | a = 'abc
            4  | unexpected token '='                | a == 1
            3  | use <> for 'not equal'              | a != 1
            7  | unexpected identifier 'b'           | a = 1 b = 2
            7  | expected ')'                        | (a = 1
            6  | unexpected token ')'                | a = 1)
            2  | expected an expression              | ()
            1  | unexpected keyword 'AND'            | AND = 1
            10 | unexpected end of selector          | a = 1 AND
            4  | unexpected end of selector          | NOT
            10 | unexpected keyword 'OR'             | a = 1 OR OR b
            7  | unexpected token '='                | a = 1 = 2
            11 | unexpected token '='                | a IS NULL = TRUE
            19 | unexpected keyword 'BETWEEN'        | a BETWEEN 1 AND 2 BETWEEN 3 AND 4
            5  | unexpected keyword 'IN'             | NOT IN ('a')
            5  | single quotes                       | a = "x"
            3  | unexpected character '#'            | a # 1
            2  | unexpected character '.'            | a.b = 1
            7  | expected BETWEEN, IN or LIKE        | a NOT 5
            6  | expected NULL or NOT NULL           | a IS 5
            10 | expected NULL after IS NOT          | a IS NOT 5
            5  | NULL may only appear in IS NULL     | a = NULL
            1  | NULL may only appear in IS NULL     | NULL IS NULL
            12 | expected AND between the bounds     | a BETWEEN 1
            13 | expected AND between the bounds     | a BETWEEN 1 OR 2

            # IN
            7  | only string literals                | a IN (1, 2)
            7  | unexpected token ')'                | a IN ()
            6  | expected '(' to start the list      | a IN 'x'
            11 | unexpected token ')'                | a IN ('x',)
            11 | expected ',' or ')'                 | a IN ('x' 'y')
            12 | unexpected keyword 'ESCAPE'         | a IN ('x') ESCAPE 'y'
            1  | IN applies only to an identifier    | 'x' IN ('x')
            1  | JMSPriority is a number             | JMSPriority IN ('1')

            # LIKE
            1  | LIKE applies only to an identifier  | TRUE LIKE 'x'
            8  | expected a string literal pattern   | a LIKE 5
            19 | exactly one character               | a LIKE 'x' ESCAPE 'ab'
            19 | exactly one character               | a LIKE 'x' ESCAPE ''
            19 | expected a string literal after ESCAPE | a LIKE 'x' ESCAPE 5
            18 | unexpected end of selector          | a LIKE 'a' ESCAPE
            8  | ends with the escape character      | a LIKE 'x!' ESCAPE '!'
            8  | may only precede '%', '_' or itself | a LIKE '!a' ESCAPE '!'
            11 | may only precede '%', '_' or itself | name LIKE 'Widget_1' ESCAPE '_'
            1  | LIKE applies only to an identifier  | a + 1 LIKE 'x'
            1  | JMSTimestamp is a number            | JMSTimestamp LIKE '1%'

            # IS NULL
            1  | IS NULL and IS NOT NULL apply only  | 1 IS NULL
            1  | IS NULL and IS NOT NULL apply only  | (a + 1) IS NOT NULL

            # Not a condition
            1  | selector is not a condition         | 3 + 4
            1  | selector is not a condition         | 'abc'
            1  | selector is not a condition         | a + b
            1  | selector is not a condition         | -a
            1  | selector is not a condition         | 7E3
            5  | expected a condition, found a number | NOT 5
            7  | expected a condition, found a string | a AND 'x'
            1  | expected a condition, found a number | 5 OR a

            # Type errors detectable at parse time
            1  | expected a number, found a string   | 'a' + 1 = 2
            10 | expected a number, found a condition | weight * (a = 1) > 1
            1  | expected a number, found a condition | (a = 1) + 2 = 3
            10 | expected a number, found a string   | weight / 'x' > 1
            2  | expected a number, found a string   | -'x' = 1
            6  | expected a number, found a condition | a = -TRUE
            1  | expected a number, found a string   | JMSType + 1 = 2
            11 | expected a number, found a string   | a BETWEEN 'x' AND 'y'
            1  | expected a number, found a string   | 'a' BETWEEN 1 AND 2
            5  | a string is compared with a number  | 'a' = 1
            6  | a condition is compared with a number | TRUE = 1
            13 | a number is compared with a string  | JMSPriority = 'high'
            17 | a string is compared with a number  | JMSDeliveryMode = 1
            1  | only numbers can be ordered         | 'a' < 'b'
            5  | only numbers can be ordered         | a < 'b'
            1  | only numbers can be ordered         | TRUE > FALSE
            1  | only numbers can be ordered         | JMSType >= 'a'

            # Numbers
            5  | number out of range                 | a = 1e999
            5  | number out of range                 | a = 3.5E39F
            5  | number out of range                 | a = 9223372036854775808
            6  | number out of range                 | a = -9223372036854775809
            5  | number out of range                 | a = 0x10000000000000000
            5  | invalid octal number 09             | a = 09
            5  | malformed number '0x'               | a = 0x
            5  | malformed number '1e'               | a = 1e
            5  | malformed number '12abc'            | a = 12abc
            5  | malformed number '1.5L'             | a = 1.5L
            """;

    static Stream<Arguments> cases() {
        return CASES.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> {
                    String[] parts = line.split(" \\| ", 3);
                    return Arguments.of(parts[2], Integer.parseInt(parts[0].trim()), parts[1].trim());
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsWithPositionAndReason(String expression, int position, String reason) {
        InvalidSelectorException e = assertThrows(InvalidSelectorException.class,
                () -> MessageSelector.parse(expression));
        String message = e.getMessage();
        assertTrue(message.contains(" at position " + position + " in selector '" + expression + "'"),
                "position " + position + " not in: " + message);
        assertTrue(message.contains(reason), "reason '" + reason + "' not in: " + message);
    }

    @Test
    void tableIsLargeEnough() {
        assertTrue(cases().count() >= 40, "cases: " + cases().count());
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        int levels = SelectorParser.MAX_NESTING + 1;
        String parentheses = "(".repeat(levels) + "a" + ")".repeat(levels);
        InvalidSelectorException e = assertThrows(InvalidSelectorException.class,
                () -> MessageSelector.parse(parentheses));
        assertTrue(e.getMessage().startsWith("selector nested too deeply at position " + levels + " "),
                e.getMessage());

        String nots = "NOT ".repeat(100_000) + "a";
        assertThrows(InvalidSelectorException.class, () -> MessageSelector.parse(nots));
        String signs = "-".repeat(100_000) + "a = 1";
        assertThrows(InvalidSelectorException.class, () -> MessageSelector.parse(signs));
        String sum = "a" + " + 1".repeat(SelectorParser.MAX_DEPTH) + " = 0";
        e = assertThrows(InvalidSelectorException.class, () -> MessageSelector.parse(sum));
        assertTrue(e.getMessage().contains("more than " + SelectorParser.MAX_DEPTH + " levels"), e.getMessage());
    }

    @Test
    void nestingUpToTheLimitsIsAccepted() throws InvalidSelectorException {
        int levels = SelectorParser.MAX_NESTING;
        MessageSelector selector = MessageSelector.parse("(".repeat(levels) + "weight = 25" + ")".repeat(levels));
        assertTrue(selector.matches(MessageSelectorSamples.A));
        String sum = "weight" + " + 1".repeat(SelectorParser.MAX_DEPTH - 2) + " = " + (25 + SelectorParser.MAX_DEPTH - 2);
        assertTrue(MessageSelector.parse(sum).matches(MessageSelectorSamples.A));
    }

    @Test
    void longGeneratedOrChainIsFlat() throws InvalidSelectorException {
        StringBuilder chain = new StringBuilder("weight = -1");
        for (int i = 0; i < 20_000; i++) {
            chain.append(" OR weight = ").append(i + 100);
        }
        chain.append(" OR weight = 25");
        MessageSelector selector = MessageSelector.parse(chain.toString());
        assertTrue(selector.matches(MessageSelectorSamples.A));
        assertEquals(false, selector.matches(MessageSelectorSamples.B));
    }

    @Test
    void messageReadsAsDocumented() {
        InvalidSelectorException e = assertThrows(InvalidSelectorException.class,
                () -> MessageSelector.parse("a = (1 + ))"));
        assertEquals("unexpected token ')' at position 10 in selector 'a = (1 + ))': expected an expression",
                e.getMessage());
    }
}
