/**
 * Personal data never reaches a group or a log in the clear. These patterns cover what
 * residents actually type: mainland mobile numbers, landlines, ID card numbers and
 * door-level addresses ("3号楼2单元501").
 */
// Separators residents put in numbers: spaces, hyphens and dashes of every width, dots, middle dots.
const mobile = /(?<!\d)(?:\+?86[\s\-.]{0,3})?(1[3-9]\d)[\s\-.\u2010-\u2015\u00b7]{0,3}(\d{4})[\s\-.\u2010-\u2015\u00b7]{0,3}(\d{4})(?!\d)/g;
const idCard = /(?<![\dXx])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])/g;
const landline = /(?<!\d)(0\d{2,3})[- ]?(\d{7,8})(?!\d)/g;
const roomNumber = /(\d{1,3}\s*(?:号楼|栋|幢|号院)\s*(?:\d{1,2}\s*单元)?\s*)(\d{3,4})(?:\s*(?:室|号|房))?/g;
// The room alone: after a unit (2单元301), before 室/房 (301室), building-unit-room (3-2-301), "room 301".
const unitRoom = /((?<!\d)\d{1,2}\s*单元\s*)(\d{3,4})(?!\d)(?:\s*(?:室|号|房))?/g;
const roomSuffix = /(?<![\d*])\d{3,4}\s*(?:室|房间|房)/g;
const dashedRoom = /(?<![\d-])(\d{1,3}-\d{1,2}-)\d{3,4}(?![\d-])/g;
const englishRoom = /\b(room|rm\.?|apt\.?|flat)(\s*(?:no\.?\s*)?#?\s*)\d{3,4}\b/gi;

/**
 * Masks phone numbers and ID numbers, keeping enough to recognise them (138****5678), and room
 * numbers, keeping the building and unit a worker needs for the place (3号楼2单元***, 3-2-***).
 */
export function maskPersonalData(text: string): string {
  return text
    .replace(idCard, (_m, a: string, _b: string, c: string) => `${a}********${c}`)
    .replace(mobile, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(landline, (_m, a: string, b: string) => `${a}-****${b.slice(-2)}`)
    .replace(roomNumber, (_m, building: string) => `${building}***`)
    .replace(unitRoom, (_m, unit: string) => `${unit}***`)
    .replace(dashedRoom, (_m, buildingUnit: string) => `${buildingUnit}***`)
    .replace(roomSuffix, '***')
    .replace(englishRoom, (_m, word: string, gap: string) => `${word}${gap}***`);
}

/** The first mainland mobile number in a text, digits only, or null. */
export function findPhone(text: string): string | null {
  mobile.lastIndex = 0;
  const m = mobile.exec(text);
  mobile.lastIndex = 0;
  return m ? `${m[1]}${m[2]}${m[3]}` : null;
}

/** True when the text holds a phone or ID number or a door-level address. */
export function hasPersonalData(text: string): boolean {
  return maskPersonalData(text) !== text;
}
