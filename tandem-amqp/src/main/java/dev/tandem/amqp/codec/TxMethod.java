package dev.tandem.amqp.codec;

import io.netty.buffer.ByteBuf;

/** Class {@code tx} (90): transactions on a channel. No method has arguments. */
public sealed interface TxMethod extends AmqpMethod {
  int CLASS_ID = 90;

  @Override
  default int classId() {
    return CLASS_ID;
  }

  @Override
  default void writeArguments(ByteBuf out) {}

  record Select() implements TxMethod {
    public static final int METHOD_ID = 10;
    public static final Select INSTANCE = new Select();

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record SelectOk() implements TxMethod {
    public static final int METHOD_ID = 11;
    public static final SelectOk INSTANCE = new SelectOk();

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Commit() implements TxMethod {
    public static final int METHOD_ID = 20;
    public static final Commit INSTANCE = new Commit();

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record CommitOk() implements TxMethod {
    public static final int METHOD_ID = 21;
    public static final CommitOk INSTANCE = new CommitOk();

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record Rollback() implements TxMethod {
    public static final int METHOD_ID = 30;
    public static final Rollback INSTANCE = new Rollback();

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }

  record RollbackOk() implements TxMethod {
    public static final int METHOD_ID = 31;
    public static final RollbackOk INSTANCE = new RollbackOk();

    @Override
    public int methodId() {
      return METHOD_ID;
    }
  }
}
