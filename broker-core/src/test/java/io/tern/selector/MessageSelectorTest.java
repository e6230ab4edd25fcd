package io.tern.selector;

import static io.tern.selector.MessageSelectorSamples.A;
import static io.tern.selector.MessageSelectorSamples.B;
import static io.tern.selector.MessageSelectorSamples.C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.protocol.MessageSnapshot;
import jakarta.jms.DeliveryMode;
import jakarta.jms.InvalidSelectorException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Valid selectors and what they evaluate to for each sample message of {@link MessageSelectorSamples}:
 * T (true, matches), F (false) or U (unknown, which does not match either).
 */
class MessageSelectorTest {

    /** Expected results for messages A, B and C, then the selector. */
    private static final String CASES = """
            # Strings: only = and <>, case-sensitive, '' for a quote
            T F U | color = 'red'
            F T U | color <> 'red'
            F F U | color = 'RED'
            T F U | 'red' = color
            T T U | color = 'blue' OR color = 'red'
            T F U | region = 'eu'
            T U U | empty = ''
            F U U | empty <> ''
            T F U | quote = 'it''s'
            F T U | quote = 'its'
            T T T | 'it''s' = 'it''s'
            T T T | 'a' <> 'b'
            F F F | 'a' = 'A'
            T F U | name = 'Widget_1'
            T U U | unicode = 'na\u00efve'
            T U U | \u00fcber = 'x'
            F F U | color = name

            # Exact numbers, all integral property types, long range, hex, octal, L suffix
            T F U | weight = 25
            T F U | weight > 10
            T F U | weight >= 25
            F T U | weight < 25
            F T U | weight <= 5
            T F U | weight <> 5
            F T U | weight = 5
            T F U | 25 = weight
            F T U | 10 > weight
            T F U | qty = 3
            F T U | qty < 0
            T F U | tiny = 7
            F T U | tiny = -1
            T F U | big > 2147483647
            T F U | big = 9000000000
            F T U | big = -1
            T U U | maxLong = 9223372036854775807
            T U U | maxLong > 9223372036854775806
            T U U | maxLong = 0x7FFFFFFFFFFFFFFF
            T U U | maxLong = 0x7fffffffffffffffL
            T T T | -9223372036854775808 < 0
            T T T | -9223372036854775808 = -9223372036854775807 - 1
            T T T | 0x1F = 31
            T T T | 0X10 = 16
            T T T | 010 = 8
            T T T | 00 = 0
            T T T | 0xFFFFFFFFFFFFFFFF = -1
            T F U | weight = 25L
            T F U | weight = 25l
            T U U | weight = JMS_TernFlag * 5

            # Approximate numbers and promotion between exact and approximate
            T F U | price = 9.99
            T T U | price > 9
            T F U | price < 10
            F T U | price = 100
            F T U | price = 100.0
            T F U | weight = 25.0
            T F U | weight > 24.5
            T T U | weight >= 5.0
            T F U | ratio = 0.5
            F T U | ratio = 2
            T F U | ratio < 1
            T F U | ratio = 0.5F
            T F U | ratio = 5E-1
            T T T | 7E3 = 7000
            T T T | -57.9E2 = -5790
            T T T | .5 = 0.5
            T T T | 1. = 1
            T T T | +6.2 > 6
            T T T | 1.5e1 = 15
            T T T | 1E-2 = 0.01
            T T T | 1e+2 = 100
            T T T | 2.5F = 2.5
            F F F | 1.1F = 1.1
            T T T | 1.5d = 1.5
            T T T | 1.e1 = 10
            F U U | nan = nan
            T U U | nan <> nan
            F U U | nan > 0
            F U U | nan < 0

            # Arithmetic: long unless a double is involved, Java precedence and associativity
            T F U | weight + 5 = 30
            T F U | weight - 30 = -5
            T F U | weight * 2 = 50
            T F U | weight / 2 = 12
            T F U | weight / 2.0 = 12.5
            F F U | weight / 2 = 12.5
            T F U | price * 2 = 19.98
            T T U | weight + price > 30
            T F U | -weight = -25
            T T U | -weight < 0
            T F U | +weight = 25
            T F U | -(-weight) = 25
            T F U | - - weight = 25
            T T T | --5 = 5
            T T T | 1 + 2 * 3 = 7
            T T T | (1 + 2) * 3 = 9
            T T T | 10 - 4 - 3 = 3
            T T T | 100 / 10 / 5 = 2
            T T T | 7 / 2 = 3
            T T T | -7 / 2 = -3
            T T T | 7 / 2.0 = 3.5
            T T T | 1 + 2 * 3 - 4 / 2 = 5
            T T T | -2 * -3 = 6
            T F U | 2 * -weight = -50
            T F U | weight * 2 > 10 + 30
            T F U | tiny + qty = 10
            F T U | tiny + qty = -4
            T F U | ratio * 4 = 2
            F T U | ratio * 4 = 8
            T F U | big * 2 = 18000000000
            T F U | weight * 1.0 = 25
            T U U | maxLong + 1 < 0
            T T T | 1E308 * 10 > 1E308
            T F U | JMSXDeliveryCount * weight = 50

            # Division by zero is unknown
            U U U | 1 / 0 = 0
            U U U | 1 / 0 <> 0
            U U U | NOT (1 / 0 = 0)
            U U U | 1.0 / 0 > 0
            U U U | 1 / 0.0 > 0
            U U U | 0.0 / 0 = 0
            U F U | weight / (weight - 25) > 0
            T T T | 1 / 0 = 0 OR TRUE

            # NULL in arithmetic is unknown
            U U U | weight + missing = 1
            U U U | missing * 0 = 0
            U U U | -missing = 0
            U U U | missing / 0 = 0

            # Unlike types at run time: the comparison is false, never an error
            F F U | numText + 1 = 3
            F F U | numText > 1
            T F U | numText = '2'
            F F U | active + 1 = 2
            F F U | color = 1
            F F U | weight = '25'
            F F U | active = 'true'
            F F U | active = 1
            F F U | weight = TRUE
            T T U | NOT (color = 1)
            F F U | color <> 1
            F F U | color > 1
            F F U | -color = 1
            F F U | active > 0
            F U U | odd = 'x'
            F U U | odd <> 'x'
            F T T | odd IS NULL

            # Booleans
            T F U | active
            T F U | active = TRUE
            T F U | active = true
            F T U | active = FALSE
            T F U | active <> FALSE
            F T U | NOT active
            T F U | active AND weight > 10
            T F U | active OR weight > 10
            T T T | TRUE
            F F F | FALSE
            T T T | true AND TrUe
            T T U | (weight > 10) = active
            F T U | (weight > 10) <> TRUE
            T T T | (1 = 1) = TRUE
            U U U | color
            U U U | NOT color
            U U U | weight
            U U U | color AND TRUE
            F F F | color AND FALSE
            T T T | color OR TRUE

            # Three-valued logic: the AND, OR and NOT truth tables of the spec
            T T T | TRUE AND TRUE
            F F F | TRUE AND FALSE
            U U U | TRUE AND missing = 1
            F F F | FALSE AND TRUE
            F F F | FALSE AND FALSE
            F F F | FALSE AND missing = 1
            U U U | missing = 1 AND TRUE
            F F F | missing = 1 AND FALSE
            U U U | missing = 1 AND missing = 2
            T T T | TRUE OR TRUE
            T T T | TRUE OR FALSE
            T T T | TRUE OR missing = 1
            T T T | FALSE OR TRUE
            F F F | FALSE OR FALSE
            U U U | FALSE OR missing = 1
            T T T | missing = 1 OR TRUE
            U U U | missing = 1 OR FALSE
            U U U | missing = 1 OR missing = 2
            F F F | NOT TRUE
            T T T | NOT FALSE
            U U U | NOT missing = 1
            U F U | active AND missing = 1
            T U U | active OR missing = 1
            U T U | NOT active OR missing = 1

            # NULL
            T T T | missing IS NULL
            F F F | missing IS NOT NULL
            F F T | color IS NULL
            T T F | color IS NOT NULL
            F T T | empty IS NULL
            T T F | NOT (color IS NULL)
            U U U | missing = missing
            U U U | missing <> 1
            T T T | missing IS null
            T T F | color is not null and weight is not null
            U U U | missing = 'x' OR missing <> 'x'
            T T T | missing = 'x' OR missing IS NULL

            # Headers; the ones the spec excludes are always NULL
            T U U | JMSType = 'car'
            F U U | JMSType <> 'car'
            F T T | JMSType IS NULL
            T F F | JMSPriority = 7
            T F F | JMSPriority > 4
            F T T | JMSPriority BETWEEN 0 AND 4
            F F T | JMSPriority = 4
            T F T | JMSDeliveryMode = 'PERSISTENT'
            F T F | JMSDeliveryMode = 'NON_PERSISTENT'
            F T F | JMSDeliveryMode <> 'PERSISTENT'
            T F T | JMSDeliveryMode IN ('PERSISTENT')
            F T F | JMSDeliveryMode LIKE 'NON%'
            T F U | JMSMessageID = 'ID:1'
            T T U | JMSMessageID LIKE 'ID:%'
            T T F | JMSMessageID IS NOT NULL
            T U U | JMSCorrelationID = 'corr-1'
            F T T | JMSCorrelationID IS NULL
            T U U | JMSCorrelationID LIKE 'corr-_'
            T F F | JMSTimestamp = 1000
            F T F | JMSTimestamp > 1500000000000
            T F F | JMSTimestamp + 1000 = 2000
            T F F | JMSTimestamp / 1000 = 1
            T F U | JMSXDeliveryCount = 2
            T U U | JMSXGroupID = 'g1'
            T U U | JMS_TernFlag = 5
            T U U | JMSType IN ('car', 'truck')
            U U U | jmstype = 'car'
            T T T | JMSRedelivered IS NULL
            T T T | JMSExpiration IS NULL
            T T T | JMSDestination IS NULL
            T T T | JMSReplyTo IS NULL
            T T T | JMSDeliveryTime IS NULL
            U U U | JMSExpiration > 0
            U U U | JMSRedelivered = FALSE
            U U U | JMSDeliveryTime < 99999999999999

            # BETWEEN, as its AND / OR equivalents
            T F U | weight BETWEEN 10 AND 30
            T F U | weight BETWEEN 25 AND 25
            F F U | weight BETWEEN 30 AND 10
            F T U | weight NOT BETWEEN 10 AND 30
            F T U | weight BETWEEN 5 AND 5
            T F U | price BETWEEN 9.9 AND 10
            T F U | weight BETWEEN 24.5 AND 25.5
            T F U | weight between 1 and 100 and active
            U U U | weight BETWEEN missing AND 30
            F U U | weight BETWEEN missing AND 20
            T U U | weight NOT BETWEEN missing AND 20
            T T U | weight NOT BETWEEN 30 AND missing
            F F U | color BETWEEN 1 AND 5
            F F U | color NOT BETWEEN 1 AND 5
            T F U | weight + 1 BETWEEN 20 AND 30
            F T U | NOT weight BETWEEN 10 AND 30
            T F U | big BETWEEN 8000000000 AND 10000000000
            T F U | ratio BETWEEN 0 AND 1
            T T T | 1 BETWEEN 0 AND 2
            T T T | -1 BETWEEN -2 AND -1
            T F U | weight BETWEEN 2 * 10 AND 3 * 10

            # IN: NULL is unknown; NOT IN is the negation of IN
            T T U | region IN ('eu', 'us')
            T F U | region IN ('eu')
            F T U | region NOT IN ('eu')
            F F U | region IN ('EU', 'US')
            T T U | region NOT IN ('asia', 'latam')
            T T U | color IN ('red', 'green', 'blue')
            T F U | quote IN ('it''s')
            T U U | empty IN ('')
            F F U | weight IN ('25')
            T T U | weight NOT IN ('25')
            U U U | missing NOT IN ('a')
            U U U | missing IN ('a')
            T F U | region in ('eu','us') and weight > 10
            F T U | NOT region IN ('eu')
            T T U | region IN ('eu', 'eu', 'us')
            T F U | region IN('eu')

            # LIKE: % and _, escapes, regular-expression characters are plain
            T F U | name LIKE 'Widget%'
            T F U | name LIKE 'W_dget_1'
            F F U | name LIKE 'widget%'
            T T U | name LIKE '%get%'
            T T U | name LIKE '%'
            T T U | name LIKE '_%'
            T U U | empty LIKE '%'
            F U U | empty LIKE '_%'
            T U U | empty LIKE ''
            F T U | name LIKE 'gadget'
            F F U | name LIKE 'gadge'
            F T U | name LIKE '______'
            F T U | name NOT LIKE 'Widget%'
            T F U | label LIKE '50\\%%' ESCAPE '\\'
            T T U | label LIKE '50%'
            T F U | label LIKE '%\\_%' ESCAPE '\\'
            T F U | label LIKE '50!%!_off' ESCAPE '!'
            T F U | name LIKE '%!_1' ESCAPE '!'
            F F U | name LIKE '%!_2' ESCAPE '!'
            T U U | path LIKE 'a\\\\b' ESCAPE '\\'
            T U U | path LIKE 'a\\b'
            T U U | path LIKE 'a%b'
            T F U | quote LIKE 'it''%'
            F F U | name LIKE 'Widget.1'
            F F U | name LIKE 'W.*'
            F F U | label LIKE '[5]%'
            F F U | label LIKE '50[%]_off'
            T F U | name LIKE '%%%1'
            T F U | name LIKE '%_1'
            T F U | name LIKE 'Wi%et_%'
            T T U | name LIKE '%e%'
            T T U | label LIKE '50%%_off'
            F F U | weight LIKE '25'
            T T U | weight NOT LIKE '25'
            U U U | missing LIKE '%'
            U U U | missing NOT LIKE '%'
            T U U | unicode LIKE 'na_ve'
            T U U | emoji LIKE 'a_b'
            F U U | emoji LIKE 'a__b'
            T U U | emoji LIKE 'a%b'
            T U U | emoji LIKE '%\uD83D\uDE00%'
            T F U | name lIkE 'W%' EsCaPe '!'

            # Precedence: NOT binds tighter than AND, AND tighter than OR
            T F U | color = 'red' OR color = 'blue' AND weight > 100
            F F U | (color = 'red' OR color = 'blue') AND weight > 100
            F T U | NOT color = 'red' AND weight > 1
            F T U | NOT (color = 'red' AND weight > 1)
            T F U | NOT NOT active
            T F U | ((((active))))
            T T U | weight > 10 AND weight < 30 OR weight = 5
            T F U | active = TRUE AND NOT (region = 'us')

            # Lexical details: case-insensitive keywords, identifiers that start like keywords
            T F U | color='red'and weight>10
            T F U | color = 'red' aNd weight > 10
            T F U | region iN ('eu')
            T T U | weight Between 1 And 100
            T U U | _under = 1 AND $dollar = 2
            U U U | ANDROID = 1
            U U U | ORDER = 1
            T T T | notes IS NULL
            T T T | INx IS NULL
            T T T | isNull IS NULL
            T T T | nullable IS NULL
            T T T | TRUEISH IS NULL
            """;

    static Stream<Arguments> cases() {
        return CASES.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> {
                    int bar = line.indexOf(" | ");
                    return Arguments.of(line.substring(bar + 3), line.substring(0, bar));
                });
    }

    @ParameterizedTest(name = "{1} <- {0}")
    @MethodSource("cases")
    void evaluatesAsExpected(String expression, String expected) throws InvalidSelectorException {
        MessageSelector selector = MessageSelector.parse(expression);
        String[] results = expected.split(" ");
        int i = 0;
        for (MessageSnapshot message : MessageSelectorSamples.ALL) {
            String label = "message " + "ABC".charAt(i);
            char want = results[i++].charAt(0);
            assertEquals(want, truth(selector.evaluate(message)), label + ", tree " + selector.tree());
            SelectorContext context = SelectorContext.of(message);
            assertEquals(want, truth(selector.evaluate(context)), label + " through a SelectorContext");
            assertEquals(want == 'T', selector.matches(message), label + ": matches(snapshot)");
            assertEquals(want == 'T', selector.matches(context), label + ": matches(context)");
        }
    }

    @Test
    void tableIsLargeEnough() {
        assertTrue(cases().count() >= 200, "cases: " + cases().count());
    }

    static Stream<Arguments> trees() {
        return Stream.of(
                Arguments.of("a OR b AND c", "(a OR (b AND c))"),
                Arguments.of("a OR b OR c", "(a OR b OR c)"),
                Arguments.of("a AND b AND c OR d", "((a AND b AND c) OR d)"),
                Arguments.of("(a OR b) AND c", "((a OR b) AND c)"),
                Arguments.of("NOT a AND b", "((NOT a) AND b)"),
                Arguments.of("NOT a = 1", "(NOT (a = 1))"),
                Arguments.of("a = 1 + 2 * 3", "(a = (1 + (2 * 3)))"),
                Arguments.of("a - b - c = 0", "(((a - b) - c) = 0)"),
                Arguments.of("a / b * c = 0", "(((a / b) * c) = 0)"),
                Arguments.of("-a * b = 0", "(((-a) * b) = 0)"),
                Arguments.of("--a = 1", "((-(-a)) = 1)"),
                Arguments.of("-5 = a", "(-5 = a)"),
                Arguments.of("- 5.5 = a", "(-5.5 = a)"),
                Arguments.of("+5 = a", "(5 = a)"),
                Arguments.of("- -9223372036854775808 = a", "(-9223372036854775808 = a)"),
                Arguments.of("7E3 = a", "(7000.0 = a)"),
                Arguments.of("0x10 = a", "(16 = a)"),
                Arguments.of("a = true", "(a = TRUE)"),
                Arguments.of("a BETWEEN 1 AND 2 AND b", "((a BETWEEN 1 AND 2) AND b)"),
                Arguments.of("NOT a NOT BETWEEN 1 + 1 AND 3", "(NOT (a NOT BETWEEN (1 + 1) AND 3))"),
                Arguments.of("a IN ('x', 'y''z') OR b NOT LIKE 'p!%' ESCAPE '!'",
                        "((a IN ('x', 'y''z')) OR (b NOT LIKE 'p!%' ESCAPE '!'))"),
                Arguments.of("a IS NOT NULL AND b IS NULL", "((a IS NOT NULL) AND (b IS NULL))"),
                Arguments.of("JMSType = 'x' AND JMSPriority > 3", "((JMSType = 'x') AND (JMSPriority > 3))"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trees")
    void parsesWithSpecPrecedence(String expression, String tree) throws InvalidSelectorException {
        assertEquals(tree, MessageSelector.parse(expression).tree());
    }

    @Test
    void javaWhitespaceSeparatesTokens() throws InvalidSelectorException {
        MessageSelector selector = MessageSelector.parse("\tcolor\n=\r'red'\fAND\r\nweight > 10 ");
        assertTrue(selector.matches(A));
        assertFalse(selector.matches(B));
    }

    @Test
    void nullOrBlankSelectorMatchesEverything() throws InvalidSelectorException {
        for (String blank : new String[] {null, "", "   ", "\t\n\r\f"}) {
            MessageSelector selector = MessageSelector.parse(blank);
            assertSame(MessageSelector.MATCH_ALL, selector);
            assertTrue(selector.isMatchAll());
            assertEquals("", selector.expression());
            for (MessageSnapshot message : MessageSelectorSamples.ALL) {
                assertTrue(selector.matches(message));
                assertTrue(selector.matches(SelectorContext.of(message)));
            }
        }
    }

    @Test
    void keepsTheExpressionAndComparesByIt() throws InvalidSelectorException {
        MessageSelector selector = MessageSelector.parse("color = 'red'");
        assertEquals("color = 'red'", selector.expression());
        assertFalse(selector.isMatchAll());
        assertEquals("MessageSelector[color = 'red']", selector.toString());
        assertEquals("MessageSelector[match all]", MessageSelector.MATCH_ALL.toString());
        assertEquals(selector, MessageSelector.parse("color = 'red'"));
        assertEquals(selector.hashCode(), MessageSelector.parse("color = 'red'").hashCode());
        assertNotEquals(selector, MessageSelector.parse("color = 'blue'"));
        assertNotEquals(selector, MessageSelector.MATCH_ALL);
    }

    @Test
    void customContextSuppliesPerDeliveryProperties() throws InvalidSelectorException {
        MessageSelector selector = MessageSelector.parse("JMSXDeliveryCount > 1 AND color = 'red'");
        assertFalse(selector.matches(C));
        assertTrue(selector.matches(withDeliveryCount(A, 3)));
        assertFalse(selector.matches(withDeliveryCount(A, 1)));
    }

    @Test
    void nonPersistentAndUnknownDeliveryModes() throws InvalidSelectorException {
        MessageSelector persistent = MessageSelector.parse("JMSDeliveryMode = 'PERSISTENT'");
        MessageSelector unknown = MessageSelector.parse("JMSDeliveryMode IS NULL");
        MessageSnapshot odd = MessageSnapshot.builder().deliveryMode(17).build();
        assertFalse(persistent.matches(odd));
        assertTrue(unknown.matches(odd));
        assertFalse(unknown.matches(MessageSnapshot.builder().deliveryMode(DeliveryMode.NON_PERSISTENT).build()));
    }

    @Test
    void nestedEvaluationOnOneThreadKeepsTheOuterMessage() throws InvalidSelectorException {
        MessageSelector inner = MessageSelector.parse("color = 'blue'");
        MessageSelector outer = MessageSelector.parse("color = 'red' AND nested AND weight = 25");
        // A context whose property lookup evaluates another selector against another message.
        SelectorContext context = new DelegatingContext(SelectorContext.of(A)) {
            @Override
            public Object property(String name) {
                return name.equals("nested") ? inner.matches(B) : super.property(name);
            }
        };
        assertTrue(outer.matches(context));
    }

    private static SelectorContext withDeliveryCount(MessageSnapshot message, int count) {
        return new DelegatingContext(SelectorContext.of(message)) {
            @Override
            public Object property(String name) {
                return name.equals("JMSXDeliveryCount") ? count : super.property(name);
            }
        };
    }

    static char truth(ValueKind kind) {
        return kind == ValueKind.TRUE ? 'T' : kind == ValueKind.FALSE ? 'F' : 'U';
    }

    /** Passes everything to another context; subclasses override what they change. */
    static class DelegatingContext implements SelectorContext {
        private final SelectorContext delegate;

        DelegatingContext(SelectorContext delegate) {
            this.delegate = delegate;
        }

        @Override
        public Object property(String name) {
            return delegate.property(name);
        }

        @Override
        public String messageId() {
            return delegate.messageId();
        }

        @Override
        public long timestamp() {
            return delegate.timestamp();
        }

        @Override
        public String correlationId() {
            return delegate.correlationId();
        }

        @Override
        public String type() {
            return delegate.type();
        }

        @Override
        public int deliveryMode() {
            return delegate.deliveryMode();
        }

        @Override
        public int priority() {
            return delegate.priority();
        }
    }
}
