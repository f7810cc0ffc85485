import type { Gender } from '../../modules/people/person.entity.js';
import type { Rng } from './demo-random.js';

/** Common surnames, the Shanghai ones (陆, 顾, 沈, 徐, 朱 …) listed first and weighted up. */
const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['张', 8], ['王', 8], ['陈', 8], ['李', 6], ['徐', 6], ['朱', 6], ['沈', 6], ['陆', 6], ['顾', 5], ['周', 5],
  ['吴', 5], ['刘', 5], ['杨', 4], ['金', 4], ['钱', 3], ['蒋', 3], ['姚', 3], ['孙', 3], ['黄', 3], ['胡', 3],
  ['施', 3], ['唐', 3], ['许', 3], ['汤', 2], ['倪', 2], ['俞', 2], ['盛', 2], ['曹', 2], ['戴', 2], ['费', 2],
  ['褚', 1], ['瞿', 1], ['卫', 1], ['龚', 2], ['薛', 2], ['严', 2], ['范', 2], ['潘', 2], ['邵', 2], ['冯', 2],
  ['赵', 2], ['马', 2], ['高', 2], ['郭', 2], ['何', 2], ['林', 2], ['郑', 2], ['宋', 2], ['谢', 2], ['韩', 1],
  ['叶', 2], ['程', 1], ['袁', 1], ['方', 1], ['丁', 1], ['任', 1], ['夏', 1], ['蔡', 2], ['秦', 1], ['卢', 1],
];

const FEMALE_CHARS = [...'静丽敏燕艳娟霞婷雪琳洁丹萍红玲芳颖慧倩佳怡雯莉蕾晶瑶璐婧琪欣悦妍薇蓉岚琴晓梦雅思韵蓓菁茜月秀英兰华珍梅凤莺嘉伊依彤诗文晨玥蕴琼瑾瑜萱'];
const MALE_CHARS = [...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳建国亮成峰洋博文卫东忠民'];

/** A Chinese full name: one surname and one or two given-name characters chosen by gender. */
export function randomName(rng: Rng, gender: Gender): string {
  const chars = gender === 'female' ? FEMALE_CHARS : MALE_CHARS;
  const given = rng.chance(0.7) ? rng.pick(chars) + rng.pick(chars) : rng.pick(chars);
  return rng.weighted(SURNAMES) + given;
}

/** Mobile prefixes of the three carriers (1[3-9]x). */
export const PHONE_PREFIXES = [
  '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '157', '158', '159',
  '170', '177', '180', '181', '186', '187', '188', '189', '191', '199',
];
