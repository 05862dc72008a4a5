import type { Database } from 'better-sqlite3'

const record = `id TEXT PRIMARY KEY NOT NULL,
  createdAt TEXT NOT NULL,
  updatedAt TEXT NOT NULL,
  deletedAt TEXT,
  township TEXT NOT NULL`

/** The three working registers: patrols, mediation cases, aftercare people and their visits. */
export function up(db: Database): void {
  db.exec(`
CREATE TABLE patrols (${record},
  villageId TEXT NOT NULL REFERENCES villages(id),
  date TEXT NOT NULL,
  startTime TEXT NOT NULL,
  endTime TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('foot','vehicle','electronic')),
  route TEXT NOT NULL DEFAULT '',
  leaderId TEXT NOT NULL REFERENCES members(id),
  memberIds TEXT NOT NULL DEFAULT '[]',
  findings TEXT NOT NULL DEFAULT '',
  handling TEXT NOT NULL DEFAULT ''
);
CREATE INDEX patrols_date ON patrols(deletedAt, date, startTime, villageId, mode);
CREATE INDEX patrols_village ON patrols(villageId, deletedAt, date, startTime);
CREATE INDEX patrols_township ON patrols(township, deletedAt, date);
CREATE INDEX patrols_updated ON patrols(updatedAt);

CREATE TABLE mediation_cases (${record},
  caseNo TEXT NOT NULL,
  receivedOn TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('application','screening','referral')),
  category TEXT NOT NULL,
  villageId TEXT NOT NULL REFERENCES villages(id),
  summary TEXT NOT NULL,
  parties TEXT NOT NULL DEFAULT '[]',
  mediatorIds TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL CHECK (status IN ('pending','mediating','success','failed','referred')),
  mediatedOn TEXT,
  agreementForm TEXT CHECK (agreementForm IN ('oral','written')),
  agreement TEXT,
  fulfillment TEXT CHECK (fulfillment IN ('fulfilled','partial','unfulfilled')),
  followUps TEXT NOT NULL DEFAULT '[]',
  closedOn TEXT
);
CREATE UNIQUE INDEX mediation_caseno ON mediation_cases(township, caseNo);
CREATE INDEX mediation_received ON mediation_cases(deletedAt, receivedOn, status, fulfillment, villageId);
CREATE INDEX mediation_village ON mediation_cases(villageId, deletedAt, receivedOn);
CREATE INDEX mediation_status ON mediation_cases(status, deletedAt, receivedOn);
CREATE INDEX mediation_township ON mediation_cases(township, deletedAt, receivedOn);
CREATE INDEX mediation_closed ON mediation_cases(closedOn);
CREATE INDEX mediation_updated ON mediation_cases(updatedAt);

CREATE TABLE aftercare_people (${record},
  name TEXT NOT NULL,
  idNumber TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('released','community_correction')),
  crime TEXT NOT NULL,
  sentence TEXT NOT NULL DEFAULT '',
  releasedOn TEXT NOT NULL,
  aftercareUntil TEXT NOT NULL,
  villageId TEXT NOT NULL REFERENCES villages(id),
  placement TEXT NOT NULL CHECK (placement IN ('employed','farming','self_employed','unplaced')),
  unplacedReason TEXT NOT NULL DEFAULT '',
  helperIds TEXT NOT NULL DEFAULT '[]',
  reoffendedOn TEXT,
  lostContact INTEGER NOT NULL DEFAULT 0 CHECK (lostContact IN (0,1)),
  notes TEXT NOT NULL DEFAULT '',
  handoverOn TEXT,
  handover TEXT NOT NULL DEFAULT '',
  risk TEXT NOT NULL DEFAULT 'low' CHECK (risk IN ('low','medium','high')),
  registeredAddress TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX aftercare_people_released ON aftercare_people(deletedAt, releasedOn, aftercareUntil);
CREATE INDEX aftercare_people_until ON aftercare_people(aftercareUntil);
CREATE INDEX aftercare_people_village ON aftercare_people(villageId, deletedAt, releasedOn);
CREATE INDEX aftercare_people_township ON aftercare_people(township, releasedOn);
CREATE INDEX aftercare_people_idnumber ON aftercare_people(idNumber);
CREATE INDEX aftercare_people_updated ON aftercare_people(updatedAt);

CREATE TABLE aftercare_visits (${record},
  personId TEXT NOT NULL REFERENCES aftercare_people(id),
  date TEXT NOT NULL,
  helperIds TEXT NOT NULL DEFAULT '[]',
  content TEXT NOT NULL
);
CREATE INDEX aftercare_visits_person ON aftercare_visits(personId, deletedAt, date);
CREATE INDEX aftercare_visits_date ON aftercare_visits(deletedAt, date);
CREATE INDEX aftercare_visits_updated ON aftercare_visits(updatedAt);
`)
}
