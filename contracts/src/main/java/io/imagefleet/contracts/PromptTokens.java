package io.imagefleet.contracts;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts prompt tokens the way the upstream does: gpt-image models use the GPT-4o tokenizer, {@code
 * o200k_base}. A character count would be a guess; the {@code gpt-image-1.5} family's 2000-token
 * limit is in tokens.
 *
 * <p>The encoding is loaded once, on first use (it takes a moment and some memory), and shared:
 * jtokkit encodings are immutable and safe to use from any thread.
 */
public final class PromptTokens {
  private PromptTokens() {}

  /**
   * The number of {@code o200k_base} tokens in {@code text}. Special-token markers such as {@code
   * <|endoftext|>} are counted as ordinary text, since a prompt cannot contain control tokens.
   */
  public static int count(String text) {
    return Holder.ENCODING.countTokensOrdinary(text);
  }

  /**
   * The most tokens {@code text} can have without tokenizing it: its UTF-8 length, since every
   * {@code o200k_base} token stands for at least one byte and an ordinary encoding covers each byte
   * once. A prompt within a limit by this bound needs no tokenizer to say so, and almost every
   * prompt is far below it: tokenizing is the intake thread's costliest step per record.
   */
  public static int upperBound(String text) {
    int length = text.length();
    if (length > Integer.MAX_VALUE / 3) {
      return Integer.MAX_VALUE;
    }
    int bytes = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      // A surrogate pair is 4 bytes in UTF-8: 2 for each of its halves; a lone surrogate becomes
      // '?' (1).
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  /** Initialised by the JVM on first access, exactly once, without locks afterwards. */
  private static final class Holder {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }
}
