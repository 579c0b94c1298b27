/** The arrival time every benchmark uses, so runs are comparable. */
export const ARRIVAL = new Date('2022-03-08T18:00:00Z');
