package io.banter.journal.snapshot;

import io.banter.engine.Engine;
import io.banter.engine.snapshot.SnapshotLoader;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An engine snapshot as a file: its checksummed SBE chunks, each preceded by a 4-byte
 * big-endian length. Written to a temporary file, forced to disk and renamed into place, so a
 * crash leaves either the old file or the new one, never a torn one.
 */
public final class SnapshotFile
{
    private static final int MAX_CHUNK_LENGTH = 16 * 1024 * 1024;

    private SnapshotFile()
    {
    }

    /**
     * Write the engine's state to {@code path}.
     *
     * @return the bytes written.
     */
    public static long write(final Engine engine, final Path path)
    {
        final Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        final long[] written = { 0 };
        try (FileOutputStream file = new FileOutputStream(temporary.toFile());
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, 256 * 1024)))
        {
            final byte[][] scratch = { new byte[64 * 1024] };
            engine.takeSnapshot((buffer, offset, length) ->
            {
                if (scratch[0].length < length)
                {
                    scratch[0] = new byte[length];
                }
                buffer.getBytes(offset, scratch[0], 0, length);
                try
                {
                    out.writeInt(length);
                    out.write(scratch[0], 0, length);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
                written[0] += 4 + length;
            });
            out.flush();
            file.getFD().sync();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("writing snapshot " + path, ex);
        }
        try
        {
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("renaming snapshot into place " + path, ex);
        }
        return written[0];
    }

    /**
     * Load {@code path} into a fresh engine.
     *
     * @throws IllegalStateException when the file is damaged or incomplete.
     */
    public static void load(final Engine engine, final Path path)
    {
        try (InputStream in = Files.newInputStream(path))
        {
            load(engine, in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("reading snapshot " + path, ex);
        }
    }

    public static void load(final Engine engine, final InputStream stream) throws IOException
    {
        final SnapshotLoader loader = engine.snapshotLoader();
        final DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 256 * 1024));
        byte[] chunk = new byte[64 * 1024];
        final UnsafeBuffer view = new UnsafeBuffer(chunk);
        while (!loader.isComplete())
        {
            final int length;
            try
            {
                length = in.readInt();
            }
            catch (final EOFException ex)
            {
                throw new IllegalStateException("snapshot file ends before its last chunk", ex);
            }
            if (length <= 0 || length > MAX_CHUNK_LENGTH)
            {
                throw new IllegalStateException("snapshot file has a chunk of impossible length " + length);
            }
            if (chunk.length < length)
            {
                chunk = new byte[length];
                view.wrap(chunk);
            }
            try
            {
                in.readFully(chunk, 0, length);
            }
            catch (final EOFException ex)
            {
                throw new IllegalStateException("snapshot file ends inside a chunk of " + length + " bytes", ex);
            }
            loader.onChunk(view, 0, length);
        }
    }
}
