/**
 * Seeds acceptance (issue 2): every real sentence of each seed survives extraction, none of the junk
 * does, titles and dates are right. The expected paragraphs are listed explicitly (the seed files'
 * real lines, list bullets removed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../functions/core/extract/index.ts';
import type { ExtractedArticle } from '../../../functions/core/types.ts';

const ARRIVED = new Date('2026-11-22T10:00:00Z');

const FILES: Record<string, string> = {
  '000': 'seeds/000_43da1c7f9cb7f9a2.txt',
  '001': 'seeds/001_5574cf9b6b954155.txt',
  '002': 'seeds/002_277679f44a5ca61f.txt',
  '003': 'seeds/003_f78a203aebefa1e5.txt',
  '004': 'seeds/004_f57ce8134689f8c4.txt',
};

async function extract(id: string): Promise<ExtractedArticle> {
  const key = FILES[id]!;
  return extractArticle({ key, bytes: readFileSync(key), arrivedAt: ARRIVED });
}

/** The real paragraphs of each seed, verbatim. */
const REAL: Record<string, string[]> = {
  '000': [
    'STORY: Talks between Russian and Ukrainian officials began on the Belarusian border on Monday (February 28).',
    "As Russia's diplomatic and economic isolation deepens four days after invading Ukraine.",
    "The Ukrainian president's office said the talks' aim was an immediate ceasefire and the withdrawal of Russian forces.",
    'Moscow was cagier, with the Kremlin declining to comment on its aims. Russia calls its actions in Ukraine a “special operation.”',
    'The talks are being held on the border with strong Russian ally Belarus, which has become a launch pad for the troops invading Ukraine.',
    'The Russian advance has gone more slowly than some expected.',
    "Blasts were heard before dawn on Monday in the capital of Kyiv and in the major eastern city of Kharkiv, Ukrainian authorities said. But Russian ground forces' attempts to capture major urban centers had been repelled, they added.",
    "Russian forces seized two small cities in southeastern Ukraine and the area around a nuclear power plant, Moscow's Interfax news agency said, but ran into stiff resistance elsewhere.",
    "Russian President Vladimir Putin put Russia's nuclear deterrent on high alert on Sunday (February 27).",
    'The Western-led response to the invasion has been sweeping.',
    "Sanctions have effectively cut off Moscow's major financial institutions from Western markets, sending Russia's rouble down 30 % against the dollar on Monday. Countries also stepped up weapons supplies to Ukraine.",
    'Putin called the West an "empire of lies" on Monday.',
    'Ukrainian President Volodymyr Zelenskiy asked for fast-track EU membership.',
    'The European Union is preparing to grant Ukrainians who flee the war the right to stay and work in the 27-nation bloc for up to three years, senior EU and French officials said.',
    'According to the UN Refugee Agency, more than half a million people have fled from Ukraine to neighboring countries.',
    'It was not clear whether any progress could be achieved in the talks.',
    'At least 102 civilians in Ukraine have been killed since Thursday. But U.N. human rights chief Michelle Bachelet said on Monday the real figure is feared to be "considerably higher".',
  ],
  '001': [
    'AFTER a week of explosions, Ukraine has agreed to enter peace talks in Belarus.',
    'The Ukrainian goal is for an immediate ceasefire and withdrawal of Russian troops.',
    'When did Russia-Ukraine peace talks begin?',
    'Initially Ukraine was refusing to take part in peace talks based in Belarus, which allowed Russia troops to use its border with Ukraine to invade.',
    'The country is an ally of Moscow and was chosen by the Kremlin.',
    'The talks began at 10am GMT on Monday, February 28, 2022, with Kyiv’s delegation led by Ukraine’s Defense Minister Oleksiy Reznikov.',
    'Former Russian culture minister Vladimir Medinsky is heading the Russian delegation.',
    'They are being held at the Rumyantsev-Paskevich residence on the Belarusian border in Gomel.',
    'It is unclear how long these talks will go on for.',
    'What has been said in the Russia-Ukraine peace talks?',
    'The Ukrainians hope that the talks will result in "an immediate ceasefire and the withdrawal of troops from Ukraine,” according to a statement from the office of President Volodymyr Zelenskyy.',
    "Due to sanctions against Russia, the rouble - Russia's currency - has fallen to a record low, which could prompt Russian delegates to push for economic results.",
    'Expectations are not high for the outcome and Ukraine has asked for an immediate acceptance into the EU.',
    'Medinsky said: "As every hour of conflict brings new casualties among Ukrainian soldiers, we are definitely interested in reaching any agreements as soon as possible".',
    'He added: "But those agreements should be for the benefit of both sides."',
    'Ukraine has put up a much stronger military fight than was anticipated by experts.',
    'Ukraine President Zelenskyy, 44, said on February 28, 2022, that 4,500 Russian troops had been killed so far.',
    'Zelenskyy also claimed 16 children had been killed since Russia invaded.',
    'He added that 45 children had been wounded over four days.',
    "Russia’s Defence Minister Major General Igor Konashenkov gave no figures on Russia's dead and wounded.",
    'According to open-source intelligence analyst Ruslan Leviyev, a founder of the Conflict Intelligence Team, Russia has suffered at least 500 deaths, as of February 27, 2022.',
    'But as in all wars it is hard to have figures that are accurate and independently verified.',
    "Ukraine's capital city Kyiv and Kharkiv have both been hit by heavy fire and explosions.",
  ],
  '002': [
    'Ukrainian and Russian officials arrived at the Ukraine-Belarus border for peace talks that kicked off at 6 a.m. ET Monday, as President Volodymyr Zelensky warned on Day 5 of the invasion that the next 24 hours would be "crucial" to Ukraine\'s fate.',
    'The latest: Zelensky\'s office called for an "immediate ceasefire and the withdrawal of troops from Ukraine" as several high-ranking Ukrainian officials headed to the talks, but expressed little optimism that the negotiations would result in an end to the attack.',
    'In his latest address, Zelensky called for Ukraine\'s immediate accession to the EU — one day after European Commission President Ursula von der Leyen said Ukraine is "one of us and we want them in."',
    '16 Ukrainian children have been killed and 45 have been wounded during the war, while Russia has suffered 4,500 casualties, Zelensky said. International monitors have not verified these numbers.',
    'Zelensky said that he will allow prisoners with combat experience to be released to help defend the country and "compensate their guilt."',
    'What they\'re saying: “When I planned to become a president, I said that each of us is the president. Because we are all responsible for our state. For our beautiful Ukraine. And now it has happened that each of us is a warrior," Zelensky said in his address.',
    '"And I am confident that each of us will win."',
    "State of play: Ukraine's Defense Minister Oleksiy Reznikov will lead his delegation to the peace talks in the Gomel region",
    'While Russian forces continued their bombardment of Kyiv and other Ukrainian cities overnight, the U.K. Defense Ministry reported that intelligence indicated the offensive had "slowed down."',
    'Russia has fired 350+ missiles at Ukrainian targets, some hitting civilian infrastructure, a senior U.S. defense official told Reuters.',
    'More than 500,000 refugees have fled to neighboring countries — including Poland, Hungary, Romania and Moldova — the U.N. said.',
    'The war — seemingly quieter last night than in past nights — could escalate significantly if Russia gets military help from neighboring Belarus, which is expected to send troops into Ukraine as soon as Monday, a senior U.S. intelligence official told AP.',
    "Zoom out: Russia's currency collapsed in overnight trading, with the ruble plummeting against the dollar as the West imposed unprecedented, crippling sanctions and massive corporations said they would end their business in Russia.",
    'The Russian central bank raised interest rates from 9.5% to 20% and announced a raft of measures — including the suspension of stock trading on the Moscow Exchange — in a desperate attempt to stop the bleeding.',
  ],
  '003': [
    'Russia-Ukraine war: Amid the ongoing fight intensifying, Russia and Ukraine agreed Thursday to create humanitarian corridors for civilians to evacuate and for humanitarian supplies to be delivered, even as Russian President Vladimir Putin said Moscow\'s advance was "going to plan" and to schedule.',
    "The agreement was the only tangible progress from a second round of talks between Moscow and Kyiv, according to an adviser to Ukraine's President Volodymyr Zelensky, and it was not immediately clear how they would work, according to AFP report. A Russian negotiator, nationalist lawmaker Leonid Slutsky, confirmed the initiative and said it would be implemented soon, AFP reported.",
    'Meanwhile, the two sides met after the fall of the first major Ukrainian city to Russian forces, with Putin apparently unwilling to heed a global clamour for hostilities to end as the war entered its second week. Putin again said Russia was rooting out "neo-Nazis", adding during the televised opening of a national security council meeting that he “will never give up on (his) conviction that Russians and Ukrainians are one people."',
    'He earlier told French President Emmanuel Macron that Moscow "intends to continue the uncompromising fight against militants of nationalist armed groups," according to a Kremlin account of their call.',
    'Additionally, the EU has offered fighter jets already, and a source in Berlin said the German government was planning to deliver another 2,700 anti-aircraft missiles to Ukraine. The 27-nation bloc agreed further to approve temporary protection for all refugees fleeing the war in Ukraine -- numbered by the United Nations at more than one million.',
    'At the talks at an undisclosed location on the Belarus-Poland border, both sides shook hands across a table at the outset. A first round of talks on Monday also yielded no breakthrough, and Kyiv says it will not accept any Russian "ultimatums". The invasion, now in its eighth day, has turned Russia into a global pariah in the worlds of finance, diplomacy, sports and culture.',
  ],
  '004': [
    'Ukraine and Russia failed to make progress in halting the war and bridging the vast differences between them at the first high-level talks between their foreign ministers since the Russian invasion began.',
    'Russia indicated it will continue attacks until its goals are met, Ukrainian Foreign Minister Dmytro Kuleba said after the meeting lasting about 90 minutes with his Russian counterpart Sergei Lavrov in Turkey on Thursday. “The broad narrative he conveyed to me is that they will continue their aggression until Ukraine meets their demands, and the least of these demands is surrender,” Kuleba said.',
    'Russia is open to serious talks between the two presidents “but those contacts must have added value,” Lavrov told reporters after the meeting. He reiterated that Russia is seeking the demilitarization of Ukraine.',
    'Hosted by Turkish Foreign Minister Mevlut Cavusoglu in the Mediterranean resort city of Antalya, this was the most senior in-person meeting between Ukraine and Russia since the Russian invasion began Feb. 24. It followed two weeks of war in which Russia’s plans for achieving a rapid military victory have hit increasing difficulties as Ukraine mounts a determined defense, backed by flows of weapons from the U.S. and its allies.',
    'That’s prompted Russian President Vladimir Putin to adopt increasingly brutal tactics, with his forces shelling Ukrainian cities to try to break resistance.',
    'At the same time. the intensity of the international response in sanctioning Russia’s economy appears to have caught the Kremlin by surprise, with the ruble sinking to record lows, dozens of foreign businesses pulling out of the country and markets pricing in a growing risk of a sovereign default.',
    'Kuleba had set out Ukraine’s three key demands before the meeting with Lavrov — a cease-fire, an improvement of the humanitarian situation in besieged cities, and the withdrawal of Russian forces from the country.',
    'Russia didn’t plan to discuss a cease-fire at Thursday’s talks because the main negotiations are the ones that have taken place in Belarus, said Lavrov, who gave no commitments on humanitarian corridors for Ukrainian cities. He insisted Russia hadn’t invaded Ukraine but is carrying out what the Kremlin calls a “special military operation” there.',
    '“We want a Ukraine that’s friendly and demilitarized, a Ukraine in which there isn’t a risk of the creation of another Nazi state, a Ukraine where there won’t be a ban on the Russian language, on Russian culture,” Lavrov said.',
    'Ukrainian President Volodymyr Zelenskiy has said he’s willing to consider some compromises on Russia’s demand that his country abandons ambitions to join the North Atlantic Treaty Organization and adopt a neutral position.',
    'Zelenskiy’s also said that “only after the direct talks between the two presidents can we end this war,” and that there’s been no direct contact between him and Putin.',
    'Ukraine is insisting on security guarantees from neighbors and allies such as the U.S., the U.K. and Germany, and won’t cede a “single inch” of its territory to Russia, Ihor Zhovkva, Zelenskiy’s deputy chief of staff, said in a Bloomberg Television interview Wednesday from Kyiv.',
    'While Ukraine wants a diplomatic solution, “our first and foremost pre-condition for having such kind of negotiations is immediate cease-fire and withdrawal of Russian troops,” Zhovkva said.',
    'When he ordered the invasion, Putin set out goals for the “demilitarization” and “denazification” of Ukraine that included ousting Zelenskiy’s government and replacing it with one friendly to Moscow.',
    'With its forces still failing to gain control of Kyiv and most key Ukrainian cities, despite vastly superior firepower, Russia has modified its stance even as Putin has insisted all of his goals will still be accomplished. It’s demanded Ukraine acknowledge Russian sovereignty over Crimea, which Putin annexed in 2014, and accept Moscow’s recognition of two separatist regions in the eastern Ukrainian region of Donbas.',
    'Three earlier rounds of lower-level talks in Belarus between Russian and Ukrainian officials yielded few results beyond attempts to establish some humanitarian corridors for civilians caught in the fighting.',
    'With more than 2 million Ukrainians fleeing into neighboring countries for safety and millions more displaced, the invasion has already triggered a humanitarian catastrophe on a scale unseen in Europe since World War II.',
  ],
};

/** Junk that must not survive anywhere in the cleaned text (issue 2 acceptance). */
const JUNK: Record<string, string[]> = {
  '000': [],
  '001': ['READ MORE SUN STORIES', 'latest from russia', 'live blog', 'Read our Russia'],
  '002': ['Photo by', 'Getty Images', 'Sergei Kholodilin', 'second from left'],
  '003': ['cookies', 'privacy policy', 'This site and its partners', 'revisit your choices', 'date 2022'],
  '004': [
    'QuickTake',
    'Understanding the Roots',
    'How a Country Joins NATO',
    'Ukraine Open to Neutrality',
    'South Korea',
    'Yoon',
    'Seoul',
    'Moon Jae-in',
    'xnxx',
    'indian',
  ],
};

describe('seeds acceptance', () => {
  for (const id of Object.keys(FILES)) {
    it(`${id}: every real paragraph survives, in order`, async () => {
      const article = await extract(id);
      let from = 0;
      for (const paragraph of REAL[id]!) {
        const at = article.text.indexOf(paragraph, from);
        expect(at, paragraph).toBeGreaterThanOrEqual(0);
        from = at + paragraph.length;
      }
    });

    it(`${id}: nothing but the real paragraphs remains`, async () => {
      const article = await extract(id);
      expect(article.text.split('\n\n')).toEqual(REAL[id]);
    });

    it(`${id}: no junk survives`, async () => {
      const article = await extract(id);
      for (const junk of JUNK[id]!) expect(article.text.toLowerCase()).not.toContain(junk.toLowerCase());
    });
  }

  it('titles: a short first line is the title; a first sentence is not', async () => {
    expect((await extract('000')).title).toBe('Russia and Ukraine start ceasefire talks');
    expect((await extract('004')).title).toBe('Ukraine and Russia Fail to Make Progress in Talks to End War');
    expect((await extract('001')).title).toBeNull();
    expect((await extract('002')).title).toBeNull();
    expect((await extract('003')).title).toBeNull();
  });

  it('dates: weekday fixes the year (000, 001), header is metadata (003), none for 002', async () => {
    expect((await extract('000')).date).toEqual({ day: '2022-02-28', source: 'text' });
    expect((await extract('001')).date).toEqual({ day: '2022-02-28', source: 'text' });
    expect((await extract('003')).date).toEqual({ day: '2022-03-04', source: 'metadata' });
    expect((await extract('002')).date).toBeNull();
  });

  it('004 never takes a merely mentioned date (Feb. 24, 2014)', async () => {
    const date = (await extract('004')).date;
    expect(date?.day).not.toMatch(/-02-24$/);
    expect(date?.day.startsWith('2014')).not.toBe(true);
    // "in Turkey on Thursday": the most recent Thursday on or before arrival (Sunday 22 Nov 2026).
    expect(date).toEqual({ day: '2026-11-19', source: 'text' });
  });

  it('all seeds are plain text', async () => {
    for (const id of Object.keys(FILES)) expect((await extract(id)).format).toBe('text');
  });
});
