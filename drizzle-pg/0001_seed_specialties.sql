-- Specialties and roles of a new install, from src/lib/domain/specialties.ts (ANS TRE_R38 codes),
-- as drizzle/0005_seed_specialties.sql on SQLite. ON CONFLICT DO NOTHING: an admin edit is kept.
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('medical_oncology', 'Oncologie médicale', 'physician', '["SM36"]', true, true, 10, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('radiation_oncology', 'Oncologie radiothérapie', 'physician', '["SM37","SM45"]', true, true, 20, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('visceral_surgery', 'Chirurgie viscérale et digestive', 'physician', '["SM14","SM78","SM05"]', true, true, 30, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('thoracic_surgery', 'Chirurgie thoracique', 'physician', '["SM11"]', true, true, 40, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('gynaecological_surgery', 'Chirurgie gynécologique et sénologique', 'physician', '["SM20","SM51"]', true, true, 50, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('radiology', 'Radiologie', 'physician', '["SM44","SM74","SM94","SM55"]', true, true, 60, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('pathology', 'Anatomie et cytologie pathologiques', 'physician', '["SM01"]', true, true, 70, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('gastroenterology', 'Hépato-gastro-entérologie', 'physician', '["SM24"]', true, true, 80, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('pulmonology', 'Pneumologie', 'physician', '["SM41","SM91"]', true, true, 90, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('nuclear_medicine', 'Médecine nucléaire', 'physician', '["SM28"]', true, true, 100, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('cardiology', 'Cardiologie', 'physician', '["SM04","SM73","SM80"]', true, true, 110, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('hf_cardiology', 'Cardiologie – insuffisance cardiaque', 'physician', '[]', true, true, 120, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('cardiac_surgery', 'Chirurgie cardiaque', 'physician', '["SM11"]', true, true, 130, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('electrophysiology', 'Rythmologie', 'physician', '["SM81"]', true, true, 140, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('interventional_cardiology', 'Cardiologie interventionnelle', 'physician', '["SM79"]', true, true, 150, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('cardiac_rehabilitation', 'Réadaptation cardiaque', 'physician', '[]', true, true, 160, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('geriatrics', 'Gériatrie', 'physician', '["SM18"]', true, true, 170, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('nephrology', 'Néphrologie', 'physician', '["SM30","SM83"]', true, true, 180, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('palliative_care', 'Soins palliatifs', 'physician', '["DSM235","DEC12","SST17"]', true, true, 190, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('general_practice', 'Médecine générale', 'physician', '["SM26","SM53","SM54"]', false, true, 200, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('haematology', 'Hématologie', 'physician', '["SM21","SM22","SM23","SM71","SM35"]', true, true, 210, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('urology', 'Chirurgie urologique', 'physician', '["SM12"]', true, true, 220, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('ent_surgery', 'ORL et chirurgie cervico-faciale', 'physician', '["SM34","SM39","SM86"]', true, true, 230, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('maxillofacial_surgery', 'Chirurgie maxillo-faciale', 'physician', '["SM06","SM07","SM68","SM77"]', true, true, 240, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('dermatology', 'Dermatologie et vénéréologie', 'physician', '["SM15"]', true, true, 250, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('neurology', 'Neurologie', 'physician', '["SM32","SM84","SM33"]', true, true, 260, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('neurosurgery', 'Neurochirurgie', 'physician', '["SM31"]', true, true, 270, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('paediatrics', 'Pédiatrie', 'physician', '["SM40","SM87","SM88","SM89","SM90"]', true, true, 280, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('paediatric_oncology', 'Hémato-oncologie pédiatrique', 'physician', '["SST03"]', true, true, 290, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('paediatric_surgery', 'Chirurgie pédiatrique', 'physician', '["SM09","SM69","SM70"]', true, true, 300, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('orthopaedic_surgery', 'Chirurgie orthopédique et traumatologie', 'physician', '["SM08"]', true, true, 310, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('plastic_surgery', 'Chirurgie plastique, reconstructrice et esthétique', 'physician', '["SM10"]', true, true, 320, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('vascular_surgery', 'Chirurgie vasculaire', 'physician', '["SM13"]', true, true, 330, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('endocrinology', 'Endocrinologie, diabétologie, nutrition', 'physician', '["SM16","SM62"]', true, true, 340, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('internal_medicine', 'Médecine interne', 'physician', '["SM27","SM72"]', true, true, 350, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('medical_genetics', 'Génétique médicale', 'physician', '["SM17"]', true, true, 360, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('medical_gynaecology', 'Gynécologie médicale', 'physician', '["SM19","SM52"]', true, true, 370, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('anaesthesiology', 'Anesthésie-réanimation', 'physician', '["SM02","SM76"]', true, true, 380, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('intensive_care', 'Médecine intensive-réanimation', 'physician', '["SM46","SM82"]', true, true, 390, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('medical_biology', 'Biologie médicale', 'physician', '["SM03","SM63","SM64","SM65","SM66","SM67"]', true, true, 400, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('psychiatry', 'Psychiatrie', 'physician', '["SM42","SM43","SM92","SM93"]', true, true, 410, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('rheumatology', 'Rhumatologie', 'physician', '["SM48"]', true, true, 420, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('ophthalmology', 'Ophtalmologie', 'physician', '["SM38","SM85"]', true, true, 430, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('infectious_diseases', 'Maladies infectieuses et tropicales', 'physician', '["SM58"]', true, true, 440, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('physical_medicine', 'Médecine physique et de réadaptation', 'physician', '["SM29"]', true, true, 450, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('stomatology', 'Stomatologie et chirurgie orale', 'physician', '["SM50","SM56"]', true, true, 460, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('vascular_medicine', 'Médecine vasculaire', 'physician', '["SM61"]', true, true, 470, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('allergology', 'Allergologie', 'physician', '["SM57"]', true, true, 480, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('emergency_medicine', 'Médecine d’urgence', 'physician', '["SM59"]', true, true, 490, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('occupational_medicine', 'Médecine du travail', 'physician', '["SM25"]', true, true, 500, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('forensic_medicine', 'Médecine légale et expertises médicales', 'physician', '["SM60"]', true, true, 510, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('public_health', 'Santé publique', 'physician', '["SM49","SM75","SM95"]', true, true, 520, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('medical_research', 'Recherche médicale', 'physician', '["SM47"]', true, true, 530, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('pharmacist', 'Pharmacien(ne)', 'pharmacist', '[]', false, true, 540, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('biotherapy_pharmacist', 'Pharmacien(ne) référent(e) en biothérapies', 'pharmacist', '[]', false, true, 550, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('nurse', 'Infirmier(e)', 'nurse', '[]', false, true, 560, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('coordinating_nurse', 'Infirmier(e) de coordination', 'nurse', '[]', false, true, 570, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('advanced_practice_nurse', 'Infirmier(e) en pratique avancée', 'nurse', '["SI01","SI02","SI03","SI04","SI05"]', false, true, 580, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('psychologist', 'Psychologue', 'other_professional', '[]', false, true, 590, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('dietitian', 'Diététicien(ne)', 'other_professional', '[]', false, true, 600, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('social_worker', 'Assistant(e) de service social', 'other_professional', '[]', false, true, 610, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('genetic_counsellor', 'Conseiller(ère) en génétique', 'other_professional', '[]', false, true, 620, to_timestamp(0)) ON CONFLICT DO NOTHING;
--> statement-breakpoint
INSERT INTO "specialty" ("code", "label", "category", "rpps_codes", "counts_toward_quorum", "active", "position", "created_at") VALUES ('clinical_research_associate', 'Attaché(e) de recherche clinique', 'other_professional', '[]', false, true, 630, to_timestamp(0)) ON CONFLICT DO NOTHING;
