package io.banter.codecs.batch;

import io.banter.codecs.CommandBatchEncoder;
import io.banter.codecs.EventBatchEncoder;
import io.banter.codecs.MessageHeaderEncoder;

/**
 * The wire layout shared by {@code CommandBatch} and {@code EventBatch}: an SBE message header,
 * a repeating-group header (block length 0, count) and each entry as a {@code uint32} length
 * followed by one whole SBE message. It is what the schema's generated codecs read and write;
 * {@link BatchWriter} and {@link BatchReader} use it directly so that appending is a copy and
 * reading checks every bound before anything is applied.
 */
final class BatchLayout
{
    static final int GROUP_HEADER_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH;
    static final int GROUP_HEADER_LENGTH = CommandBatchEncoder.CommandsEncoder.HEADER_SIZE;
    static final int FIRST_ENTRY_OFFSET = GROUP_HEADER_OFFSET + GROUP_HEADER_LENGTH;
    static final int ENTRY_LENGTH_FIELD = 4;
    static final int MAX_ENTRIES = CommandBatchEncoder.CommandsEncoder.countMaxValue();

    static
    {
        if (0 != CommandBatchEncoder.BLOCK_LENGTH || 0 != EventBatchEncoder.BLOCK_LENGTH ||
            GROUP_HEADER_LENGTH != EventBatchEncoder.EventsEncoder.HEADER_SIZE ||
            0 != CommandBatchEncoder.CommandsEncoder.sbeBlockLength() ||
            0 != EventBatchEncoder.EventsEncoder.sbeBlockLength() ||
            ENTRY_LENGTH_FIELD != CommandBatchEncoder.CommandsEncoder.commandHeaderLength() ||
            ENTRY_LENGTH_FIELD != EventBatchEncoder.EventsEncoder.engineEventHeaderLength())
        {
            throw new IllegalStateException("the batch messages in the schema no longer match BatchLayout");
        }
    }

    private BatchLayout()
    {
    }

    static boolean isBatch(final int templateId)
    {
        return CommandBatchEncoder.TEMPLATE_ID == templateId || EventBatchEncoder.TEMPLATE_ID == templateId;
    }
}
