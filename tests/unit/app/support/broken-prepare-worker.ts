/** A preparation worker whose start-up fails, as a broken install would: the pool must carry on without it. */
throw new Error('this worker cannot start');
