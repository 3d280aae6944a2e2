package io.banter.journal.cold;

/**
 * What opening the cold tier found on disk: how much it indexed, and what it would not serve.
 *
 * @param segments         segment files opened.
 * @param records          records indexed (a replayed duplicate is not counted twice).
 * @param tornBytes        bytes cut off the last segment's tail: a write the crash interrupted.
 * @param corruptRecords   records skipped because their checksum failed.
 * @param corruptSegments  sealed segments whose framing broke part-way; records after the break are not indexed.
 */
public record ColdRecovery(int segments, long records, long tornBytes, long corruptRecords, int corruptSegments)
{
    public boolean isClean()
    {
        return 0 == tornBytes && 0 == corruptRecords && 0 == corruptSegments;
    }
}
