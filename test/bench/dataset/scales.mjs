// The sizes of the synthetic datasets (issue 10). `district` is one district of the city at a tenth of its rows.
export const SCALES = {
  district: { districts: 1, kindergartens: 150, staff: 5_000, courses: 200, offerings: 1_000, enrollments: 100_000, creditEntries: 500_000 },
  city: { districts: 8, kindergartens: 1_200, staff: 50_000, courses: 2_000, offerings: 10_000, enrollments: 1_000_000, creditEntries: 5_000_000 },
};

/** Real Shanghai districts for the names; codes are the bench's own (SH-B01…) so nothing clashes with the demo's SH-QP. */
export const DISTRICT_NAMES = [
  ['浦东新区', 'Pudong'], ['闵行区', 'Minhang'], ['宝山区', 'Baoshan'], ['嘉定区', 'Jiading'],
  ['松江区', 'Songjiang'], ['青浦区', 'Qingpu'], ['奉贤区', 'Fengxian'], ['金山区', 'Jinshan'],
];

export const TOWNS_PER_DISTRICT = 10;
export const GROUPS_PER_DISTRICT = 7;
export const MEETINGS_PER_OFFERING = 3;

/** Fixed bench logins (all with password BENCH_PASSWORD); staff logins are t00001… like the demo's. */
export const BENCH_PASSWORD = 'Bench@2026';
export const CITY_ADMIN = 'bench_city_admin';
export const DISTRICT_ADMIN = 'bench_district_admin';

/** The bench's fixed course codes (district 1): the rush offering, its floor twin, and the gradebook offering. */
export const RUSH = { course: 'BENCH-RUSH', offering: 'RUSH', floorOffering: 'RUSH-FLOOR', capacity: 300, learners: 2_000 };
export const GRADEBOOK = { course: 'BENCH-GRADEBOOK', offering: 'G500', learners: 500, items: 10 };
