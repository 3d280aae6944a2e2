package io.banter.codecs.validation;

import io.banter.codecs.BooleanType;
import io.banter.codecs.GroupRole;
import io.banter.codecs.Platform;
import io.banter.codecs.RelationList;

import java.util.function.ToIntFunction;

/**
 * The raw values a one-byte enum of the schema defines. A generated decoder's enum accessor
 * throws for a raw value the schema does not define and answers {@code NULL_VAL} for the null
 * value, so an enum field from outside is checked on its raw value before it is decoded. The
 * domain is built from the generated enum, so it cannot drift from the schema. Immutable.
 */
public final class EnumDomain
{
    public static final EnumDomain BOOLEAN_TYPE =
        new EnumDomain(BooleanType.values(), BooleanType.NULL_VAL, BooleanType::value);
    public static final EnumDomain PLATFORM = new EnumDomain(Platform.values(), Platform.NULL_VAL, Platform::value);
    public static final EnumDomain GROUP_ROLE = new EnumDomain(GroupRole.values(), GroupRole.NULL_VAL, GroupRole::value);
    public static final EnumDomain RELATION_LIST =
        new EnumDomain(RelationList.values(), RelationList.NULL_VAL, RelationList::value);

    private static final int ONE_BYTE_VALUES = 256;

    private final boolean[] defined = new boolean[ONE_BYTE_VALUES];
    private final String expected;

    private <E extends Enum<E>> EnumDomain(final E[] values, final E nullValue, final ToIntFunction<E> raw)
    {
        final StringBuilder names = new StringBuilder();
        int remaining = values.length - 1;
        for (final E value : values)
        {
            if (value == nullValue)
            {
                continue;
            }
            defined[raw.applyAsInt(value)] = true;
            names.append(value.name()).append(" (").append(raw.applyAsInt(value)).append(')');
            remaining--;
            names.append(0 == remaining ? "" : 1 == remaining ? " or " : ", ");
        }
        expected = names.toString();
    }

    /**
     * @param raw the field's raw value as the decoder's {@code ...Raw()} accessor gives it.
     * @return true when the schema defines {@code raw}; the null value is not defined.
     */
    public boolean isDefined(final int raw)
    {
        return raw >= 0 && raw < ONE_BYTE_VALUES && defined[raw];
    }

    /**
     * The reason to give when field {@code field} carries the undefined value {@code raw}.
     */
    public String refusal(final String field, final int raw)
    {
        return field + " must be " + expected + ", not " + raw;
    }
}
