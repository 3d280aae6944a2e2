package io.banter.access.client;

/**
 * The engine's acknowledgement of a send: the message is committed in the replicated log.
 *
 * @param duplicate true when the ack answers a resend of a message already stored.
 */
public record SendReceipt(
    long clientMsgId, long conversationId, long messageId, long seq, long changeSeq, long timestamp, boolean duplicate)
{
}
